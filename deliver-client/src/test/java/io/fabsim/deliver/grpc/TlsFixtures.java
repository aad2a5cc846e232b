package io.fabsim.deliver.grpc;

import com.google.protobuf.ByteString;
import io.fabsim.common.testing.FabricVectors;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/** TLS material from Fabric's vectors (cryptogen output): orderer server, Org1 peer as TLS client. */
final class TlsFixtures {

    final Path ordererTls;
    final Path ordererTlsCa;
    final Path org1TlsCa;
    final Path peerTls;
    final Path vectors;

    TlsFixtures() {
        vectors = FabricVectors.dir();
        Path crypto = vectors.resolve("crypto-config");
        ordererTls = crypto.resolve("ordererOrganizations/example.com/orderers/orderer.example.com/tls");
        ordererTlsCa = crypto.resolve("ordererOrganizations/example.com/tlsca/tlsca.example.com-cert.pem");
        org1TlsCa = crypto.resolve("peerOrganizations/org1.example.com/tlsca/tlsca.org1.example.com-cert.pem");
        peerTls = crypto.resolve("peerOrganizations/org1.example.com/peers/peer0.org1.example.com/tls");
    }

    ByteString ordererCaPem() {
        return ByteString.copyFrom(FabricVectors.read(ordererTlsCa));
    }

    ClientTls peerClientTls() {
        return new ClientTls(privateKey(peerTls.resolve("server.key")), List.of(certificate(peerTls.resolve("server.crt"))));
    }

    PublicKey ordererSigningKey() {
        return certificate(vectors.resolve(
                "crypto-config/ordererOrganizations/example.com/orderers/orderer.example.com/msp/signcerts/orderer.example.com-cert.pem"))
                .getPublicKey();
    }

    static X509Certificate certificate(Path pem) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(FabricVectors.read(pem)));
        } catch (Exception e) {
            throw new IllegalStateException("cannot read certificate " + pem, e);
        }
    }

    static PrivateKey privateKey(Path pem) {
        String text = new String(FabricVectors.read(pem), StandardCharsets.US_ASCII)
                .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(text)));
        } catch (Exception e) {
            throw new IllegalStateException("cannot read key " + pem, e);
        }
    }
}
