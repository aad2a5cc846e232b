package io.fabsim.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.fabsim.common.grpc.ServerTls;
import io.fabsim.common.msp.LocalMsp;
import io.fabsim.common.protoutil.BlockHashing;
import io.fabsim.common.testing.FabricVectors;
import io.fabsim.common.testing.TestPki;
import io.fabsim.common.time.Clock;
import io.fabsim.common.verify.InvalidBlockException;
import io.fabsim.deliver.ConfigBlockVerifier;
import io.fabsim.deliver.OrdererAddresses;
import io.fabsim.ledger.ChainInfo;
import io.fabsim.tools.testing.VectorGenesis;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ordering org whose identities come from intermediate CAs: its orderer signs blocks with a
 * certificate issued by an intermediate of its MSP root, and serves TLS with a certificate issued by
 * an intermediate of its TLS root; the channel config lists both intermediates
 * ({@code intermediate_certs}, {@code tls_intermediate_certs}), made with the project's configtxgen.
 * The verifier the peer's deliver runs use ({@link ConfigBlockVerifier}) must honour both.
 */
class IntermediateCaTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final TestPki mspRoot = new TestPki("orderers.test");
    private final TestPki mspIntermediate = mspRoot.intermediate("ica.orderers.test");
    private final TestPki tlsRoot = new TestPki("tls.orderers.test");
    private final TestPki tlsIntermediate = tlsRoot.intermediate("tlsica.orderers.test");
    private Path ordererMsp;
    private TestOrderer orderer;
    private PeerNode peer;

    @BeforeEach
    void writeOrdererOrg() throws IOException {
        ordererMsp = dir.resolve("orderer-msp");
        TestPki.Issued signer = mspIntermediate.enroll("orderer0.orderers.test", "orderer");
        write(ordererMsp.resolve("cacerts/ca.pem"), mspRoot.ca().certificatePem());
        write(ordererMsp.resolve("intermediatecerts/ica.pem"), mspIntermediate.ca().certificatePem());
        write(ordererMsp.resolve("tlscacerts/tlsca.pem"), tlsRoot.ca().certificatePem());
        write(ordererMsp.resolve("tlsintermediatecerts/tlsica.pem"), tlsIntermediate.ca().certificatePem());
        write(ordererMsp.resolve("signcerts/cert.pem"), signer.certificatePem());
        write(ordererMsp.resolve("keystore/priv_sk"), signer.privateKeyPem());
    }

    @AfterEach
    void stop() {
        if (peer != null) {
            peer.close();
        }
        if (orderer != null) {
            orderer.close();
        }
    }

    @Test
    void theDeliverVerifierTrustsTheIntermediateCasOfTheOrdererOrg() throws Exception {
        orderer = new TestOrderer(LocalMsp.loadSigningIdentity("OrdererMSP", ordererMsp), Optional.empty(),
                port -> VectorGenesis.block(TestOrderer.CHANNEL, port, ordererMsp));
        orderer.cut(1);
        ConfigBlockVerifier verifier = ConfigBlockVerifier.fromConfigBlock(orderer.genesis());

        verifier.verify(TestOrderer.CHANNEL, 1, orderer.block(1));
        OrdererAddresses.Org org = verifier.ordererAddresses().orgs().get("OrdererOrg");
        assertThat(org.addresses()).containsExactly("127.0.0.1:" + orderer.port());
        assertThat(org.tlsRootCerts()).as("the TLS CAs the deliver client trusts for this org").containsExactlyInAnyOrder(
                pem(tlsRoot.ca()), pem(tlsIntermediate.ca()));

        // control: the same org without its intermediates in the config cannot vouch for the orderer
        Path rootsOnly = dir.resolve("roots-only-msp");
        write(rootsOnly.resolve("cacerts/ca.pem"), mspRoot.ca().certificatePem());
        write(rootsOnly.resolve("tlscacerts/tlsca.pem"), tlsRoot.ca().certificatePem());
        ConfigBlockVerifier withoutIntermediates = ConfigBlockVerifier.fromConfigBlock(
                VectorGenesis.block(TestOrderer.CHANNEL, orderer.port(), rootsOnly));
        Block one = orderer.block(1);
        assertThatThrownBy(() -> withoutIntermediates.verify(TestOrderer.CHANNEL, 1, one))
                .isInstanceOfSatisfying(InvalidBlockException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvalidBlockException.Reason.BAD_SIGNATURE));
    }

    @Test
    void aStaticLeaderPullsOverTlsFromAnOrdererWhoseCertificatesComeFromIntermediateCas() throws Exception {
        // Scenario: the orderer's TLS server certificate is issued by the TLS intermediate and it
        // sends no chain; its block signatures are by a certificate of the MSP intermediate. A static
        // leader with TLS joins the channel and the orderer cuts 3 blocks.
        // Expected: the peer connects (it trusts the TLS intermediate from the channel config) and
        // commits the 3 blocks (its committer validates the signer through the MSP intermediate).
        TestPki.TlsFiles server = tlsIntermediate.tls("orderer0.orderers.test").write(dir.resolve("orderer-tls"), "server");
        orderer = new TestOrderer(LocalMsp.loadSigningIdentity("OrdererMSP", ordererMsp),
                Optional.of(ServerTls.serverOnly(server.certificate(), server.privateKey())),
                port -> VectorGenesis.block(TestOrderer.CHANNEL, port, ordererMsp));
        Path org1 = FabricVectors.dir().resolve("crypto-config/peerOrganizations/org1.example.com/peers/peer0.org1.example.com");
        Path tls = FabricVectors.dir().resolve("crypto-config/peerOrganizations/org1.example.com/peers/"
                + "peer0.org1.example.com/tls");
        peer = PeerNode.start(StaticLeaderTest.peerConfig(dir.resolve("ledgers"), """
                peer.tls { enabled = true, cert.file = "%s", key.file = "%s", rootcert.file = "%s" }
                peer.gossip.useLeaderElection = false
                peer.gossip.orgLeader = true
                """.formatted(tls.resolve("server.crt"), tls.resolve("server.key"), tls.resolve("ca.crt"))), Clock.system());
        peer.join(orderer.genesis());

        orderer.cut(3);

        await().atMost(WAIT).until(() -> peer.chainInfo(TestOrderer.CHANNEL).map(ChainInfo::height).orElse(0L) == 4);
        assertThat(peer.chainInfo(TestOrderer.CHANNEL).orElseThrow().currentBlockHash())
                .isEqualTo(BlockHashing.headerHash(orderer.block(3).getHeader()));
        assertThat(peer.status().channels().get(0).streamingFrom()).isEqualTo("127.0.0.1:" + orderer.port());
    }

    private static ByteString pem(TestPki.Issued issued) {
        return ByteString.copyFrom(issued.certificatePem(), StandardCharsets.UTF_8);
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
