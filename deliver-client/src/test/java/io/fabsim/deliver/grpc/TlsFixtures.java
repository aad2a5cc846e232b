package io.fabsim.deliver.grpc;

import com.google.protobuf.ByteString;
import io.fabsim.common.grpc.ServerTls;
import io.fabsim.common.testing.FabricVectors;
import io.fabsim.tools.testing.GeneratedCrypto;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/**
 * TLS material in the vectors' layout (made by the project's cryptogen, or Fabric's own where the chain served
 * is Fabric's, whose config names Fabric's TLS CAs): orderer server, Org1 peer as TLS client.
 */
final class TlsFixtures {

    final Path ordererTls;
    final Path ordererTlsCa;
    final Path org1TlsCa;
    final Path peerTls;

    TlsFixtures() {
        this(GeneratedCrypto.dir());
    }

    /** {@code base}: a folder holding {@code crypto-config/}. */
    TlsFixtures(Path base) {
        Path crypto = base.resolve("crypto-config");
        ordererTls = crypto.resolve("ordererOrganizations/example.com/orderers/orderer.example.com/tls");
        ordererTlsCa = crypto.resolve("ordererOrganizations/example.com/tlsca/tlsca.example.com-cert.pem");
        org1TlsCa = crypto.resolve("peerOrganizations/org1.example.com/tlsca/tlsca.org1.example.com-cert.pem");
        peerTls = crypto.resolve("peerOrganizations/org1.example.com/peers/peer0.org1.example.com/tls");
    }

    ByteString ordererCaPem() {
        return ByteString.copyFrom(FabricVectors.read(ordererTlsCa));
    }

    /** The orderer's TLS, requiring client certificates issued by Org1's TLS CA. */
    ServerTls ordererServerTls() {
        return new ServerTls(ordererTls.resolve("server.crt"), ordererTls.resolve("server.key"), true, List.of(org1TlsCa));
    }

    ClientTls peerClientTls() {
        return new ClientTls(privateKey(peerTls.resolve("server.key")), List.of(certificate(peerTls.resolve("server.crt"))));
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
