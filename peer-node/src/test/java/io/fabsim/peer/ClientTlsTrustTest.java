package io.fabsim.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabsim.common.configtx.ChannelConfig;
import io.fabsim.common.crypto.Pem;
import io.fabsim.common.testing.FabricVectors;
import io.fabsim.common.time.Clock;
import io.fabsim.tools.testing.VectorGenesis;
import io.grpc.Status.Code;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario: an Org1 peer with {@code peer.tls.clientAuthRequired = true} and no client root CA
 * configured; clients of Org1, Org2 and the orderer org connect with their own TLS certificates,
 * before and after the peer joins the vectors' channel (application orgs Org1 and Org2, a genesis
 * block made by Fabric's configtxgen).
 * Expected: as a Fabric peer (updateTrustedRoots): its own org's clients are accepted from the start;
 * Org2's are refused at the handshake until the peer joins the channel, then get its blocks over
 * Deliver; the orderer org, on no channel as an application org, stays refused.
 */
class ClientTlsTrustTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Path PEER = FabricVectors.dir()
            .resolve("crypto-config/peerOrganizations/org1.example.com/peers/peer0.org1.example.com");
    private static final TlsDeliverClient.User ORG1 =
            TlsDeliverClient.User.peerOrg("org1.example.com", "User1@org1.example.com", "Org1MSP");
    private static final TlsDeliverClient.User ORG2 =
            TlsDeliverClient.User.peerOrg("org2.example.com", "User1@org2.example.com", "Org2MSP");

    @TempDir
    Path dir;

    private PeerNode peer;

    @AfterEach
    void stop() {
        if (peer != null) {
            peer.close();
        }
    }

    private TlsDeliverClient.Stream genesisFor(TlsDeliverClient.User user) throws Exception {
        try (TlsDeliverClient client = new TlsDeliverClient(peer.grpcPort(), PEER.resolve("tls/ca.crt"),
                "peer0.org1.example.com", user)) {
            TlsDeliverClient.Stream stream = client.deliver("vectors", 0, 0);
            await().atMost(WAIT).until(() -> !stream.statuses.isEmpty() || stream.error.get() != null);
            return stream;
        }
    }

    private static void assertRefusedAtHandshake(TlsDeliverClient.Stream stream) {
        assertThat(stream.statuses).isEmpty();
        assertThat(stream.error.get()).isInstanceOf(StatusRuntimeException.class);
        assertThat(((StatusRuntimeException) stream.error.get()).getStatus().getCode()).isEqualTo(Code.UNAVAILABLE);
    }

    @Test
    void clientsOfEveryApplicationOrgOfAJoinedChannelAreTrustedAndOthersRefused() throws Exception {
        peer = PeerNode.start(FabsimInteropPeers.org1Tls(PEER, dir, true, false), Clock.system());

        assertThat(genesisFor(ORG1).statuses).as("its own TLS root CA is trusted").containsExactly(Status.NOT_FOUND);
        assertRefusedAtHandshake(genesisFor(ORG2));

        Block genesis = Block.parseFrom(Files.readAllBytes(FabricVectors.dir().resolve("genesis.block")));
        peer.join(genesis);

        TlsDeliverClient.Stream org2 = genesisFor(ORG2);
        assertThat(org2.statuses).containsExactly(Status.SUCCESS);
        assertThat(org2.blocks).hasSize(1);
        assertThat(org2.blocks.get(0).getHeader()).isEqualTo(genesis.getHeader());
        assertRefusedAtHandshake(genesisFor(TlsDeliverClient.User.ordererOrgAdmin()));
    }

    @Test
    void theTrustedSetFollowsTheChannelsConfigs() throws Exception {
        ChannelConfig twoOrgs = ChannelConfig.fromBlock(Block.parseFrom(
                Files.readAllBytes(FabricVectors.dir().resolve("genesis.block"))));
        ChannelConfig org1Only = ChannelConfig.fromBlock(VectorGenesis.block("org1only", 7050));
        X509Certificate org1Ca = Pem.readCertificate(PEER.resolve("tls/ca.crt"));
        X509Certificate org2Ca = Pem.readCertificate(ORG2.dir().resolve("tls/ca.crt"));
        AtomicReference<List<ChannelConfig>> running = new AtomicReference<>(List.of());
        PeerConfig.Tls tls = new PeerConfig.Tls(true, true, PEER.resolve("tls/server.crt"), PEER.resolve("tls/server.key"),
                PEER.resolve("tls/ca.crt"), List.of());
        ClientTlsRoots roots = new ClientTlsRoots(tls, running::get);

        assertThat(roots.get()).containsExactly(org1Ca);
        running.set(List.of(org1Only));
        assertThat(roots.get()).containsExactly(org1Ca);
        running.set(List.of(org1Only, twoOrgs));
        assertThat(roots.get()).containsExactlyInAnyOrder(org1Ca, org2Ca);
        running.set(List.of(org1Only));
        assertThat(roots.get()).as("a channel left, or a config that drops an org, drops its CAs").containsExactly(org1Ca);
    }
}
