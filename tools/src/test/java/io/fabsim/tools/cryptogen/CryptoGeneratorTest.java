package io.fabsim.tools.cryptogen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabsim.common.crypto.CryptoMaterialException;
import io.fabsim.common.crypto.Pem;
import io.fabsim.common.msp.LocalMsp;
import io.fabsim.common.msp.MspVerifier;
import io.fabsim.common.msp.OrgMsp;
import io.fabsim.common.msp.Role;
import io.fabsim.common.msp.SigningIdentity;
import io.fabsim.common.testing.FabricVectors;
import io.fabsim.common.time.ManualClock;
import io.fabsim.tools.testing.GeneratedCrypto;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CryptoGeneratorTest {

    private static final String VECTORS_CONFIG = GeneratedCrypto.VECTORS_CRYPTO_CONFIG;

    private static final ManualClock CLOCK = new ManualClock(Instant.parse("2026-11-21T09:47:31Z"));

    @Test
    void writesExactlyTheFilesFabricsCryptogenWrote(@TempDir Path out) throws IOException {
        CryptoGenerator.Result result = CryptoGenerator.generate(CryptogenConfigTest.parse(VECTORS_CONFIG), out, CLOCK);
        assertThat(result.identities()).isEqualTo(2 + 5 + 4);
        assertThat(files(out)).isEqualTo(files(FabricVectors.dir().resolve("crypto-config")));
        Path org1 = "peerOrganizations/org1.example.com/msp/config.yaml".transform(out::resolve);
        assertThat(Files.readString(org1)).isEqualTo(Files.readString(FabricVectors.dir().resolve("crypto-config")
                .resolve("peerOrganizations/org1.example.com/msp/config.yaml")));
    }

    @Test
    void certificatesHaveFabricsSubjectsExtensionsAndValidity(@TempDir Path out) throws Exception {
        CryptoGenerator.generate(CryptogenConfigTest.parse(VECTORS_CONFIG), out, CLOCK);
        Path vectors = FabricVectors.dir().resolve("crypto-config");
        for (String cert : List.of("peerOrganizations/org1.example.com/ca/ca.org1.example.com-cert.pem",
                "peerOrganizations/org1.example.com/tlsca/tlsca.org1.example.com-cert.pem",
                "peerOrganizations/org1.example.com/peers/peer0.org1.example.com/msp/signcerts/peer0.org1.example.com-cert.pem",
                "peerOrganizations/org1.example.com/peers/peer0.org1.example.com/tls/server.crt",
                "peerOrganizations/org1.example.com/users/User1@org1.example.com/msp/signcerts/User1@org1.example.com-cert.pem",
                "peerOrganizations/org1.example.com/users/User1@org1.example.com/tls/client.crt",
                "ordererOrganizations/example.com/orderers/orderer.example.com/tls/server.crt",
                "ordererOrganizations/example.com/users/Admin@example.com/msp/signcerts/Admin@example.com-cert.pem")) {
            X509Certificate ours = Pem.readCertificate(out.resolve(cert));
            X509Certificate fabrics = Pem.readCertificate(vectors.resolve(cert));
            assertThat(ours.getSubjectX500Principal().getEncoded()).as(cert).isEqualTo(fabrics.getSubjectX500Principal().getEncoded());
            assertThat(ours.getIssuerX500Principal().getEncoded()).as(cert).isEqualTo(fabrics.getIssuerX500Principal().getEncoded());
            assertThat(ours.getCriticalExtensionOIDs()).as(cert).isEqualTo(fabrics.getCriticalExtensionOIDs());
            assertThat(ours.getNonCriticalExtensionOIDs()).as(cert).isEqualTo(fabrics.getNonCriticalExtensionOIDs());
            assertThat(ours.getKeyUsage()).as(cert).isEqualTo(fabrics.getKeyUsage());
            assertThat(ours.getExtendedKeyUsage()).as(cert).isEqualTo(fabrics.getExtendedKeyUsage());
            assertThat(ours.getBasicConstraints()).as(cert).isEqualTo(fabrics.getBasicConstraints());
            assertThat(sans(ours)).as(cert).isEqualTo(sans(fabrics));
            assertThat(ours.getSigAlgOID()).isEqualTo(fabrics.getSigAlgOID());
            // The vectors were made at 09:48 UTC: Go's Round(minute) - 5 min gives 09:43.
            assertThat(ours.getNotBefore()).isEqualTo(fabrics.getNotBefore());
            assertThat(ours.getNotAfter()).isEqualTo(fabrics.getNotAfter());
        }
    }

    @Test
    void generatedDemoLoadsWithTheMspLoaderAndVerifiesAcrossOrgs(@TempDir Path out) throws Exception {
        CryptogenConfig demo = CryptogenConfig.from(io.fabsim.common.config.ConfigLoader.load(
                java.util.Optional.of(CryptogenConfigTest.demoConfig()), java.util.Map.of(), List.of()));
        CryptoGenerator.generate(demo, out, CLOCK);
        Path peers = out.resolve("peerOrganizations");
        OrgMsp org1 = OrgMsp.fromFolder("Org1MSP", peers.resolve("org1.example.com/msp"));
        OrgMsp org2 = OrgMsp.fromFolder("Org2MSP", peers.resolve("org2.example.com/msp"));
        OrgMsp orderer = OrgMsp.fromFolder("OrdererMSP", out.resolve("ordererOrganizations/example.com/msp"));
        MspVerifier verifier = MspVerifier.of(org1, org2, orderer);
        byte[] message = "hello".getBytes(StandardCharsets.UTF_8);
        for (String org : List.of("org1.example.com", "org2.example.com")) {
            String mspId = org.startsWith("org1") ? "Org1MSP" : "Org2MSP";
            for (String node : List.of("peers/peer0", "peers/peer1", "peers/peer2", "users/User1@", "users/Admin@")) {
                String dir = node.endsWith("@") ? node + org : node + "." + org;
                LocalMsp local = LocalMsp.load(mspId, peers.resolve(org).resolve(dir).resolve("msp"));
                SigningIdentity id = local.signingIdentity();
                assertThat(verifier.verifyIdentity(id.serializedIdentity(), message, id.sign(message)).role())
                        .isEqualTo(local.role());
            }
        }
        LocalMsp orderer1 = LocalMsp.load("OrdererMSP", out.resolve("ordererOrganizations/example.com/orderers/orderer1.example.com/msp"));
        assertThat(orderer1.role()).isEqualTo(Role.ORDERER);
        SigningIdentity o1 = orderer1.signingIdentity();
        assertThat(verifier.verify(o1.serializedIdentity(), message, o1.sign(message))).isEqualTo("OrdererMSP");
        assertThatThrownBy(() -> MspVerifier.of(org1).validate(
                io.fabsim.common.msp.SerializedIdentities.serialize("Org1MSP", o1.certificate())))
                .hasMessageContaining("certificate not issued by the org's CA");
    }

    @Test
    void withoutNodeOUsAdminsAreKnownByAdmincertsAndOthersAreMembers(@TempDir Path out) throws Exception {
        CryptoGenerator.generate(CryptogenConfigTest.parse(
                "PeerOrgs = [{ Name = Org1, Domain = org1.example.com, Template { Count = 1 }, Users { Count = 1 } }]"), out, CLOCK);
        Path org = out.resolve("peerOrganizations/org1.example.com");
        assertThat(org.resolve("msp/config.yaml")).doesNotExist();
        for (String admincerts : List.of("msp/admincerts", "peers/peer0.org1.example.com/msp/admincerts")) {
            try (Stream<Path> files = Files.list(org.resolve(admincerts))) {
                assertThat(files.map(p -> p.getFileName().toString())).containsExactly("Admin@org1.example.com-cert.pem");
            }
        }
        assertThat(LocalMsp.load("Org1MSP", org.resolve("peers/peer0.org1.example.com/msp")).role()).isEqualTo(Role.MEMBER);
        assertThat(LocalMsp.load("Org1MSP", org.resolve("users/User1@org1.example.com/msp")).orgMsp().adminCerts()).hasSize(1);
        SigningIdentity admin = LocalMsp.loadSigningIdentity("Org1MSP", org.resolve("users/Admin@org1.example.com/msp"));
        SigningIdentity user = LocalMsp.loadSigningIdentity("Org1MSP", org.resolve("users/User1@org1.example.com/msp"));
        OrgMsp orgMsp = OrgMsp.fromFolder("Org1MSP", org.resolve("msp"));
        MspVerifier verifier = MspVerifier.of(OrgMsp.fromFabricMspConfig(orgMsp.toFabricMspConfig()));
        assertThat(verifier.validate(admin.serializedIdentity()).role()).isEqualTo(Role.ADMIN);
        assertThat(verifier.validate(user.serializedIdentity()).role()).isEqualTo(Role.MEMBER);
        assertThat(org.resolve("users/Admin@org1.example.com/tls/client.crt")).exists();
    }

    @Test
    void anExistingOrgFolderIsNeverOverwritten(@TempDir Path out) throws IOException {
        Path existing = Files.createDirectories(out.resolve("peerOrganizations/org2.example.com"));
        Files.writeString(existing.resolve("keep.txt"), "mine");
        assertThatThrownBy(() -> CryptoGenerator.generate(CryptogenConfigTest.parse(VECTORS_CONFIG), out, CLOCK))
                .isInstanceOf(CryptoMaterialException.class)
                .hasMessageContaining("org2.example.com already exists: remove it or choose another --output (nothing was written)");
        assertThat(out.resolve("peerOrganizations/org1.example.com")).doesNotExist();
        assertThat(existing.resolve("keep.txt")).hasContent("mine");
    }

    @Test
    void notBeforeIsRoundedToTheMinuteAndBackdatedFiveMinutesAsGoDoes() {
        assertThat(CertificateAuthority.cryptogenNotBefore(Instant.parse("2026-11-21T09:47:29.999Z")))
                .isEqualTo(Instant.parse("2026-11-21T09:42:00Z"));
        assertThat(CertificateAuthority.cryptogenNotBefore(Instant.parse("2026-11-21T09:47:30Z")))
                .isEqualTo(Instant.parse("2026-11-21T09:43:00Z"));
    }

    private static List<List<?>> sans(X509Certificate cert) throws Exception {
        return cert.getSubjectAlternativeNames() == null ? List.of() : List.copyOf(cert.getSubjectAlternativeNames());
    }

    private static Set<String> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
