package io.fabsim.common.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabsim.common.testing.FabricVectors;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import org.junit.jupiter.api.Test;

class PemTest {

    private static Path org1() {
        return FabricVectors.dir().resolve("crypto-config/peerOrganizations/org1.example.com");
    }

    @Test
    void readsAFabricCertificateAndReencodesItByteForByte() {
        Path file = org1().resolve("ca/ca.org1.example.com-cert.pem");
        X509Certificate cert = Pem.readCertificate(file);
        assertThat(cert.getSubjectX500Principal().getName()).startsWith("CN=ca.org1.example.com");
        assertThat(Pem.encodeCertificate(cert)).isEqualTo(FabricVectors.read(file));
    }

    @Test
    void readsCryptogensPkcs8KeyAndWritesTheSameBytesAsGo() {
        Path file = org1().resolve("ca/priv_sk");
        ECPrivateKey key = Pem.readPrivateKey(file);
        assertThat(Ecdsa.isKeyPair(key, Pem.readCertificate(org1().resolve("ca/ca.org1.example.com-cert.pem")).getPublicKey()))
                .isTrue();
        assertThat(new String(Pem.encodePrivateKey(key), StandardCharsets.US_ASCII))
                .isEqualTo(new String(FabricVectors.read(file), StandardCharsets.US_ASCII));
    }

    @Test
    void readsASec1EcPrivateKey() throws Exception {
        ECPrivateKey key = Pem.readPrivateKey(org1().resolve("ca/priv_sk"));
        byte[] pkcs8Der = Pem.decode(Pem.encodePrivateKey(key), "test").get(0).der();
        byte[] sec1Der = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(pkcs8Der).parsePrivateKey()
                .toASN1Primitive().getEncoded();
        // SEC1 needs the curve inside: add it as cryptogen-less tools (openssl ecparam) write it.
        org.bouncycastle.asn1.sec.ECPrivateKey inner = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(sec1Der);
        byte[] withCurve = new org.bouncycastle.asn1.sec.ECPrivateKey(256, inner.getKey(), inner.getPublicKey(),
                org.bouncycastle.asn1.x9.X9ObjectIdentifiers.prime256v1).getEncoded();
        ECPrivateKey parsed = Pem.parsePrivateKey(Pem.encode(Pem.EC_PRIVATE_KEY, withCurve), "sec1.pem");
        assertThat(parsed.getS()).isEqualTo(key.getS());
    }

    @Test
    void corruptPemIsReportedWithTheSource() {
        assertThatThrownBy(() -> Pem.parseCertificate("hello".getBytes(StandardCharsets.US_ASCII), "x.pem"))
                .isInstanceOf(CryptoMaterialException.class)
                .hasMessageContaining("x.pem: corrupt PEM: no \"-----BEGIN\" block found");
        assertThatThrownBy(() -> Pem.parseCertificate("-----BEGIN CERTIFICATE-----\nMIIB\n".getBytes(StandardCharsets.US_ASCII), "y.pem"))
                .hasMessageContaining("y.pem: corrupt PEM: no \"-----END CERTIFICATE-----\"");
        assertThatThrownBy(() -> Pem.parseCertificate(Pem.encode("CERTIFICATE", new byte[] {1, 2, 3}), "z.pem"))
                .hasMessageContaining("z.pem: corrupt certificate: not a valid X.509 DER encoding");
        String badBase64 = "-----BEGIN CERTIFICATE-----\nMII*@@@\n-----END CERTIFICATE-----\n";
        assertThatThrownBy(() -> Pem.parseCertificate(badBase64.getBytes(StandardCharsets.US_ASCII), "w.pem"))
                .hasMessageContaining("w.pem: corrupt PEM: bad base64 in the CERTIFICATE block");
    }

    @Test
    void aKeyWhereACertificateIsExpectedIsNamed() {
        Path key = org1().resolve("ca/priv_sk");
        assertThatThrownBy(() -> Pem.readCertificate(key))
                .hasMessageEndingWith("priv_sk: expected a CERTIFICATE PEM block, got PRIVATE KEY");
    }

    @Test
    void rsaAndP384KeysAreRejectedWithTheirType() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);
        byte[] rsaPem = Pem.encode(Pem.PRIVATE_KEY, rsa.generateKeyPair().getPrivate().getEncoded());
        assertThatThrownBy(() -> Pem.parsePrivateKey(rsaPem, "rsa.key"))
                .isInstanceOf(CryptoMaterialException.class)
                .hasMessage("rsa.key: private key is RSA, expected an EC P-256 key");

        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp384r1"));
        byte[] p384Pem = Pem.encode(Pem.PRIVATE_KEY, ec.generateKeyPair().getPrivate().getEncoded());
        assertThatThrownBy(() -> Pem.parsePrivateKey(p384Pem, "p384.key"))
                .hasMessage("p384.key: EC private key on curve secp384r1 (P-384), expected P-256 (prime256v1)");

        assertThatThrownBy(() -> Pem.parsePrivateKey(Pem.encode("RSA PRIVATE KEY", new byte[] {1}), "pkcs1.key"))
                .hasMessage("pkcs1.key: private key is RSA (PKCS#1), expected an EC P-256 key");
        assertThatThrownBy(() -> Pem.parsePrivateKey(Pem.encode(Pem.PRIVATE_KEY, new byte[] {1, 2}), "junk.key"))
                .hasMessageStartingWith("junk.key: corrupt private key");
    }

    @Test
    void aP384PublicKeyIsRejectedForVerification() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp384r1"));
        assertThatThrownBy(() -> EcdsaPublicKey.of(ec.generateKeyPair().getPublic(), "cert of Org9"))
                .hasMessage("cert of Org9: EC public key on a 384-bit curve, expected P-256 (prime256v1)");
    }
}
