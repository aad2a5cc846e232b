package io.fabsim.common.msp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabsim.common.crypto.CryptoMaterialException;
import io.fabsim.common.crypto.Pem;
import io.fabsim.common.testing.FabricVectors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalMspTest {

    private static final Map<String, String> MSP_IDS = Map.of(
            "example.com", "OrdererMSP", "org1.example.com", "Org1MSP", "org2.example.com", "Org2MSP");

    static Path cryptoConfig() {
        return FabricVectors.dir().resolve("crypto-config");
    }

    static String mspIdOf(Path mspDir) {
        for (Map.Entry<String, String> e : MSP_IDS.entrySet()) {
            if (mspDir.toString().contains("Organizations/" + e.getKey() + "/")) {
                return e.getValue();
            }
        }
        throw new AssertionError("no org for " + mspDir);
    }

    static List<Path> mspFolders(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.getFileName().toString().equals("msp") && Files.isDirectory(p)).sorted().toList();
        }
    }

    @Test
    void everyVectorMspFolderLoads() throws Exception {
        List<Path> folders = mspFolders(cryptoConfig());
        assertThat(folders).hasSize(3 + 2 + 5 + 4); // 3 org MSPs; identities: 1+1 orderer org, 3+2 org1, 2+2 org2
        int signing = 0;
        for (Path msp : folders) {
            String mspId = mspIdOf(msp);
            OrgMsp org = OrgMsp.fromFolder(mspId, msp);
            assertThat(org.nodeOUs().enabled()).as(msp.toString()).isTrue();
            assertThat(org.rootCerts()).hasSize(1);
            assertThat(org.tlsRootCerts()).hasSize(1);
            if (Files.isDirectory(msp.resolve("signcerts"))) {
                LocalMsp local = LocalMsp.load(mspId, msp);
                String node = msp.getParent().getFileName().toString();
                assertThat(local.role()).as(node).isEqualTo(expectedRole(node));
                SigningIdentity id = local.signingIdentity();
                SerializedIdentity sid = SerializedIdentity.parseFrom(id.serializedIdentity());
                assertThat(sid.getMspid()).isEqualTo(mspId);
                assertThat(sid.getIdBytes().toByteArray())
                        .isEqualTo(FabricVectors.read(msp.resolve("signcerts/" + node + "-cert.pem")));
                signing++;
            }
        }
        assertThat(signing).isEqualTo(11);
    }

    private static Role expectedRole(String node) {
        if (node.startsWith("Admin@")) {
            return Role.ADMIN;
        }
        if (node.startsWith("User")) {
            return Role.CLIENT;
        }
        return node.startsWith("orderer") ? Role.ORDERER : Role.PEER;
    }

    @Test
    void admin1SerializedIdentityIsThe822BytesFabricSent() {
        Path msp = cryptoConfig().resolve("peerOrganizations/org1.example.com/users/Admin@org1.example.com/msp");
        assertThat(LocalMsp.loadSigningIdentity("Org1MSP", msp).serializedIdentity()).hasSize(822);
    }

    @Test
    void keystoreFileMayHaveAnyNameAndMustMatchTheCertificate(@TempDir Path tmp) throws Exception {
        Path msp = copyMsp(tmp, "peer0.org1.example.com");
        Files.move(msp.resolve("keystore/priv_sk"), msp.resolve("keystore/0123abcd_sk"));
        assertThat(LocalMsp.load("Org1MSP", msp).role()).isEqualTo(Role.PEER);

        Files.copy(cryptoConfig().resolve("peerOrganizations/org1.example.com/peers/peer1.org1.example.com/msp/keystore/priv_sk"),
                msp.resolve("keystore/0123abcd_sk"), StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> LocalMsp.load("Org1MSP", msp))
                .isInstanceOf(CryptoMaterialException.class)
                .hasMessageContaining("0123abcd_sk: key does not match the signing certificate's public key");
    }

    @Test
    void wrongKeyTypeInKeystoreIsNamed(@TempDir Path tmp) throws Exception {
        Path msp = copyMsp(tmp, "peer0.org1.example.com");
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp384r1"));
        Files.write(msp.resolve("keystore/priv_sk"), Pem.encode(Pem.PRIVATE_KEY, ec.generateKeyPair().getPrivate().getEncoded()));
        assertThatThrownBy(() -> LocalMsp.load("Org1MSP", msp))
                .hasMessageContaining("priv_sk: EC private key on curve secp384r1 (P-384), expected P-256 (prime256v1)");
    }

    @Test
    void missingOrCorruptPartsAreNamed(@TempDir Path tmp) throws Exception {
        Path msp = copyMsp(tmp, "peer0.org1.example.com");
        Files.writeString(msp.resolve("signcerts/peer0.org1.example.com-cert.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n");
        assertThatThrownBy(() -> LocalMsp.load("Org1MSP", msp))
                .hasMessageContaining("peer0.org1.example.com-cert.pem: corrupt PEM");

        Path noCa = copyMsp(tmp.resolve("b"), "peer0.org1.example.com");
        Files.delete(noCa.resolve("cacerts/ca.org1.example.com-cert.pem"));
        assertThatThrownBy(() -> LocalMsp.load("Org1MSP", noCa))
                .hasMessageContaining("cacerts: expected at least one PEM certificate, found none");

        Path noKey = copyMsp(tmp.resolve("c"), "peer0.org1.example.com");
        Files.delete(noKey.resolve("keystore/priv_sk"));
        assertThatThrownBy(() -> LocalMsp.load("Org1MSP", noKey))
                .hasMessageContaining("keystore: expected the private key, found no file");

        assertThatThrownBy(() -> LocalMsp.load("Org1MSP", tmp.resolve("nope")))
                .hasMessageContaining("not an MSP folder");
    }

    @Test
    void signcertFromAnotherOrgIsRefused(@TempDir Path tmp) throws Exception {
        Path msp = copyMsp(tmp, "peer0.org1.example.com");
        Path org2 = cryptoConfig().resolve("peerOrganizations/org2.example.com/peers/peer0.org2.example.com/msp");
        Files.copy(org2.resolve("signcerts/peer0.org2.example.com-cert.pem"), msp.resolve("signcerts/peer0.org1.example.com-cert.pem"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.copy(org2.resolve("keystore/priv_sk"), msp.resolve("keystore/priv_sk"), StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> LocalMsp.load("Org1MSP", msp))
                .hasMessageContaining("identity of Org1MSP: certificate not issued by the org's CA (issuer CN=ca.org2.example.com");
    }

    static Path copyMsp(Path tmp, String peer) throws IOException {
        Path src = cryptoConfig().resolve("peerOrganizations/org1.example.com/peers/" + peer + "/msp");
        Path dst = tmp.resolve("msp");
        try (Stream<Path> walk = Files.walk(src)) {
            for (Path p : walk.toList()) {
                Path target = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return dst;
    }
}
