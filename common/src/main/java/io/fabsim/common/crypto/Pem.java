package io.fabsim.common.crypto;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * Reads and writes the PEM files of Fabric's MSP and TLS folders: X.509 certificates and
 * unencrypted EC P-256 private keys (PKCS#8 {@code PRIVATE KEY}, as cryptogen writes {@code priv_sk};
 * SEC1 {@code EC PRIVATE KEY} is read too). Errors name the source and say what was expected and
 * what was found: {@code tls/server.key: private key is RSA, expected an EC P-256 key}.
 */
public final class Pem {

    public static final String CERTIFICATE = "CERTIFICATE";
    public static final String PRIVATE_KEY = "PRIVATE KEY";
    public static final String EC_PRIVATE_KEY = "EC PRIVATE KEY";

    private static final String BEGIN = "-----BEGIN ";
    private static final String END = "-----END ";
    private static final String DASHES = "-----";
    private static final Map<String, String> KEY_ALGORITHMS = Map.of(
            PKCSObjectIdentifiers.rsaEncryption.getId(), "RSA",
            "1.3.101.112", "Ed25519",
            "1.2.840.10040.4.1", "DSA");
    private static final Map<String, String> CURVES = Map.of(
            SECObjectIdentifiers.secp384r1.getId(), "secp384r1 (P-384)",
            SECObjectIdentifiers.secp521r1.getId(), "secp521r1 (P-521)",
            SECObjectIdentifiers.secp256k1.getId(), "secp256k1");

    /** One PEM block: its type (e.g. {@code CERTIFICATE}) and its DER bytes. */
    public record Block(String type, byte[] der) {
    }

    private Pem() {
    }

    /** Every PEM block in {@code pem}; text outside the blocks is ignored, as Go's pem.Decode does. */
    public static List<Block> decode(byte[] pem, String source) {
        String text = new String(pem, StandardCharsets.ISO_8859_1);
        List<Block> blocks = new ArrayList<>();
        int at = text.indexOf(BEGIN);
        while (at >= 0) {
            int typeEnd = text.indexOf(DASHES, at + BEGIN.length());
            if (typeEnd < 0) {
                throw new CryptoMaterialException(source + ": corrupt PEM: unterminated BEGIN line");
            }
            String type = text.substring(at + BEGIN.length(), typeEnd);
            String endLine = END + type + DASHES;
            int end = text.indexOf(endLine, typeEnd);
            if (end < 0) {
                throw new CryptoMaterialException(source + ": corrupt PEM: no \"" + endLine + "\" after BEGIN " + type);
            }
            blocks.add(new Block(type, base64(text.substring(typeEnd + DASHES.length(), end), type, source)));
            at = text.indexOf(BEGIN, end + endLine.length());
        }
        if (blocks.isEmpty()) {
            throw new CryptoMaterialException(source + ": corrupt PEM: no \"-----BEGIN\" block found ("
                    + pem.length + " bytes)");
        }
        return blocks;
    }

    private static byte[] base64(String body, String type, String source) {
        StringBuilder clean = new StringBuilder(body.length());
        for (String line : body.split("\n")) {
            String l = line.strip();
            if (!l.isEmpty() && !l.contains(":")) { // skip RFC 1421 headers such as Proc-Type
                clean.append(l);
            }
        }
        try {
            return Base64.getDecoder().decode(clean.toString());
        } catch (IllegalArgumentException e) {
            throw new CryptoMaterialException(source + ": corrupt PEM: bad base64 in the " + type + " block ("
                    + e.getMessage() + ")", e);
        }
    }

    /** Encodes one block as Go's {@code pem.Encode} does: 64-column base64, trailing newline. */
    public static byte[] encode(String type, byte[] der) {
        String b64 = Base64.getEncoder().encodeToString(der);
        StringBuilder out = new StringBuilder(b64.length() + 80);
        out.append(BEGIN).append(type).append(DASHES).append('\n');
        for (int i = 0; i < b64.length(); i += 64) {
            out.append(b64, i, Math.min(b64.length(), i + 64)).append('\n');
        }
        out.append(END).append(type).append(DASHES).append('\n');
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }

    public static X509Certificate readCertificate(Path file) {
        return parseCertificate(readFile(file), file.toString());
    }

    /** The first certificate in {@code pem}. */
    public static X509Certificate parseCertificate(byte[] pem, String source) {
        return parseCertificates(pem, source).get(0);
    }

    /** Every certificate in {@code pem} (a file may hold several); other blocks are an error. */
    public static List<X509Certificate> parseCertificates(byte[] pem, String source) {
        List<X509Certificate> certs = new ArrayList<>();
        for (Block block : decode(pem, source)) {
            if (!CERTIFICATE.equals(block.type())) {
                throw new CryptoMaterialException(source + ": expected a CERTIFICATE PEM block, got " + block.type());
            }
            certs.add(certificateFromDer(block.der(), source));
        }
        return certs;
    }

    public static X509Certificate certificateFromDer(byte[] der, String source) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | RuntimeException e) {
            throw new CryptoMaterialException(source + ": corrupt certificate: not a valid X.509 DER encoding ("
                    + e.getMessage() + ")", e);
        }
    }

    public static byte[] encodeCertificate(X509Certificate cert) {
        try {
            return encode(CERTIFICATE, cert.getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new CryptoMaterialException("cannot encode certificate " + cert.getSubjectX500Principal(), e);
        }
    }

    public static ECPrivateKey readPrivateKey(Path file) {
        return parsePrivateKey(readFile(file), file.toString());
    }

    /**
     * Parses an unencrypted EC P-256 private key: PKCS#8 ({@code PRIVATE KEY}) or SEC1
     * ({@code EC PRIVATE KEY}).
     *
     * @throws CryptoMaterialException for corrupt PEM, an RSA/Ed25519/other key, another curve,
     *         or an encrypted key
     */
    public static ECPrivateKey parsePrivateKey(byte[] pem, String source) {
        Block block = decode(pem, source).get(0);
        try {
            return switch (block.type()) {
                case PRIVATE_KEY -> fromPkcs8(PrivateKeyInfo.getInstance(ASN1Primitive.fromByteArray(block.der())), source);
                case EC_PRIVATE_KEY -> fromSec1(block.der(), source);
                case "RSA PRIVATE KEY" -> throw new CryptoMaterialException(source
                        + ": private key is RSA (PKCS#1), expected an EC P-256 key");
                case "ENCRYPTED PRIVATE KEY" -> throw new CryptoMaterialException(source
                        + ": private key is encrypted, expected an unencrypted PKCS#8 EC P-256 key (as cryptogen writes)");
                default -> throw new CryptoMaterialException(source + ": expected a PRIVATE KEY PEM block, got " + block.type());
            };
        } catch (IOException | IllegalArgumentException | ClassCastException e) {
            throw new CryptoMaterialException(source + ": corrupt private key: not a valid " + block.type()
                    + " DER encoding (" + e.getMessage() + ")", e);
        }
    }

    private static ECPrivateKey fromSec1(byte[] der, String source) throws IOException {
        org.bouncycastle.asn1.sec.ECPrivateKey sec1 = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(der);
        if (sec1.getParametersObject() == null) {
            throw new CryptoMaterialException(source + ": EC PRIVATE KEY names no curve, expected P-256 (prime256v1)");
        }
        AlgorithmIdentifier algorithm = new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, sec1.getParametersObject());
        return fromPkcs8(new PrivateKeyInfo(algorithm, sec1), source);
    }

    private static ECPrivateKey fromPkcs8(PrivateKeyInfo info, String source) throws IOException {
        ASN1ObjectIdentifier algorithm = info.getPrivateKeyAlgorithm().getAlgorithm();
        if (!X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm)) {
            String name = KEY_ALGORITHMS.getOrDefault(algorithm.getId(), "of algorithm " + algorithm.getId());
            throw new CryptoMaterialException(source + ": private key is " + name + ", expected an EC P-256 key");
        }
        Object params = info.getPrivateKeyAlgorithm().getParameters();
        if (!(params instanceof ASN1ObjectIdentifier curve)) {
            throw new CryptoMaterialException(source + ": EC private key has explicit curve parameters, expected the named curve P-256");
        }
        if (!X9ObjectIdentifiers.prime256v1.equals(curve)) {
            throw new CryptoMaterialException(source + ": EC private key on curve "
                    + CURVES.getOrDefault(curve.getId(), curve.getId()) + ", expected P-256 (prime256v1)");
        }
        try {
            return (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded("DER")));
        } catch (GeneralSecurityException e) {
            throw new CryptoMaterialException(source + ": corrupt EC private key (" + e.getMessage() + ")", e);
        }
    }

    /**
     * PKCS#8 PEM of an EC P-256 private key, byte for byte as Go's {@code x509.MarshalPKCS8PrivateKey}
     * writes it (the inner SEC1 structure carries the public key and no curve parameters).
     */
    public static byte[] encodePrivateKey(ECPrivateKey key) {
        BigInteger d = key.getS();
        byte[] publicPoint = Ecdsa.publicPoint(d).getEncoded(false);
        org.bouncycastle.asn1.sec.ECPrivateKey sec1 =
                new org.bouncycastle.asn1.sec.ECPrivateKey(256, d, new DERBitString(publicPoint), null);
        AlgorithmIdentifier algorithm = new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, X9ObjectIdentifiers.prime256v1);
        try {
            return encode(PRIVATE_KEY, new PrivateKeyInfo(algorithm, sec1).getEncoded("DER"));
        } catch (IOException e) {
            throw new CryptoMaterialException("cannot encode an EC private key", e);
        }
    }

    static byte[] readFile(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CryptoMaterialException(file + ": cannot read (" + e + ")", e);
        }
    }
}
