package io.fabsim.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabsim.common.config.ConfigLoader;
import io.fabsim.common.crypto.Signer;
import io.fabsim.common.msp.LocalMsp;
import io.fabsim.common.protoutil.BlockHashing;
import io.fabsim.common.protoutil.SeekInfos;
import io.fabsim.common.testing.FabricVectors;
import io.fabsim.common.time.Clock;
import io.fabsim.common.tls.TlsMaterial;
import io.fabsim.deliverserver.testing.PeerDeliverRecorder;
import io.fabsim.ledger.ChainInfo;
import io.fabsim.orderer.Orderer;
import io.fabsim.orderer.OrdererConfig;
import io.fabsim.peer.PeerNode;
import io.fabsim.tools.testing.VectorGenesis;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.peer.DeliverGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario: the orderer simulator (in this JVM, mutual TLS, synthetic load) and one static-leader
 * peer (mutual TLS on its own server), both on the vectors' crypto material.
 * Expected: the peer commits the growing chain exactly as the orderer cut it; a client of Org1
 * follows the peer's Deliver over mutual TLS; an identity of an org outside the channel is refused.
 */
class OrdererIntegrationTest {

    private static final String CHANNEL = "peerch";
    private static final Duration WAIT = Duration.ofSeconds(40);

    @TempDir
    Path dir;

    private Orderer orderer;
    private PeerNode peer;
    private ManagedChannel client;

    private static Path crypto(String path) {
        return FabricVectors.dir().resolve("crypto-config").resolve(path);
    }

    @BeforeEach
    void start() throws Exception {
        Path node = crypto("ordererOrganizations/example.com/orderers/orderer.example.com");
        orderer = Orderer.start(OrdererConfig.from(ConfigLoader.fromString("""
                General.ListenAddress = "127.0.0.1"
                General.ListenPort = 0
                General.TLS { Enabled = true, ClientAuthRequired = true
                  PrivateKey = "%1$s/tls/server.key", Certificate = "%1$s/tls/server.crt", RootCAs = ["%1$s/tls/ca.crt"]
                  ClientRootCAs = ["%2$s"] }
                General.LocalMSPDir = "%1$s/msp"
                General.LocalMSPID = OrdererMSP
                FileLedger.Location = "%3$s"
                Operations.ListenAddress = "127.0.0.1:0"
                orderer.load { enabled = true, rate = 40, txSize = 256 }
                """.formatted(node, crypto("peerOrganizations/org1.example.com/tlsca/tlsca.org1.example.com-cert.pem"),
                dir.resolve("orderer")))));
        Block genesis = VectorGenesis.block(CHANNEL, orderer.address().port());
        orderer.chains().join(genesis);
        Path peerNode = crypto("peerOrganizations/org1.example.com/peers/peer0.org1.example.com");
        peer = PeerNode.start(ConfigLoader.fromString("""
                peer.id = peer0.org1
                peer.localMspId = Org1MSP
                peer.mspConfigPath = "%1$s/msp"
                peer.fileSystemPath = "%2$s"
                peer.listenAddress = "127.0.0.1:0"
                peer.tls { enabled = true, clientAuthRequired = true
                  cert.file = "%1$s/tls/server.crt", key.file = "%1$s/tls/server.key", rootcert.file = "%1$s/tls/ca.crt" }
                operations.listenAddress = "127.0.0.1:0"
                ledger.blockStore.fsync = false
                peer.gossip.useLeaderElection = false
                peer.gossip.orgLeader = true
                """.formatted(peerNode, dir.resolve("peer"))), Clock.system());
        peer.join(genesis);
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.shutdownNow();
        }
        peer.close();
        orderer.close();
    }

    private long peerHeight() {
        return peer.chainInfo(CHANNEL).map(ChainInfo::height).orElse(0L);
    }

    @Test
    void aStaticLeaderCommitsTheChainTheOrdererCutsAndServesItToClients() throws Exception {
        await().atMost(WAIT).until(() -> peerHeight() >= 4);

        var ordererStore = orderer.chains().orderingChain(CHANNEL).orElseThrow().blocks();
        ChainInfo info = peer.chainInfo(CHANNEL).orElseThrow();
        assertThat(info.currentBlockHash())
                .isEqualTo(BlockHashing.headerHash(ordererStore.block(info.height() - 1).getHeader()));

        Path user = crypto("peerOrganizations/org1.example.com/users/User1@org1.example.com");
        TlsMaterial tls = TlsMaterial.fromFiles(user.resolve("tls/client.crt"), user.resolve("tls/client.key"),
                java.util.List.of(user.resolve("tls/ca.crt")));
        client = NettyChannelBuilder.forAddress("127.0.0.1", peer.grpcPort())
                .sslContext(GrpcSslContexts.forClient().trustManager(user.resolve("tls/ca.crt").toFile())
                        .keyManager(user.resolve("tls/client.crt").toFile(), user.resolve("tls/client.key").toFile()).build())
                .overrideAuthority("peer0.org1.example.com").build();
        Signer member = LocalMsp.loadSigningIdentity("Org1MSP", user.resolve("msp"));
        Signer outsider = LocalMsp.loadSigningIdentity("Org2MSP",
                crypto("peerOrganizations/org2.example.com/users/User1@org2.example.com/msp"));
        SeekInfo firstThree = SeekInfos.seekInfo(SeekInfos.oldest(), SeekInfos.specified(2),
                SeekInfo.SeekBehavior.BLOCK_UNTIL_READY);

        PeerDeliverRecorder allowed = new PeerDeliverRecorder();
        DeliverGrpc.newStub(client).deliver(allowed).onNext(
                SeekInfos.seekEnvelope(CHANNEL, firstThree, member, Clock.system(), tls.certHash()));
        PeerDeliverRecorder refused = new PeerDeliverRecorder();
        DeliverGrpc.newStub(client).deliver(refused).onNext(
                SeekInfos.seekEnvelope(CHANNEL, firstThree, outsider, Clock.system(), tls.certHash()));

        await().atMost(WAIT).until(() -> allowed.statuses.size() == 1 && refused.statuses.size() == 1);
        assertThat(allowed.statuses).containsExactly(Status.SUCCESS);
        assertThat(allowed.blocks()).extracting(b -> b.getHeader().getNumber()).containsExactly(0L, 1L, 2L);
        // Same header and data; the peer's copy also carries the committer's transactions filter.
        assertThat(allowed.blocks().get(2).getHeader()).isEqualTo(ordererStore.block(2).getHeader());
        assertThat(allowed.blocks().get(2).getData()).isEqualTo(ordererStore.block(2).getData());
        assertThat(refused.statuses).containsExactly(Status.FORBIDDEN);
    }
}
