package io.fabsim.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabsim.common.config.ConfigLoader;
import io.fabsim.common.config.ConfigReader;
import io.fabsim.common.protoutil.BlockHashing;
import io.fabsim.common.time.Clock;
import io.fabsim.deliverserver.testing.TestOrderer;
import io.fabsim.gossip.AddResult;
import io.fabsim.ledger.ChainInfo;
import io.fabsim.ledger.LedgerConfig;
import io.fabsim.ledger.file.FileLedgerManager;
import io.fabsim.ledger.testing.TestBlocks;
import io.fabsim.tools.testing.GeneratedCrypto;
import io.fabsim.tools.testing.VectorGenesis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario: one peer with {@code orgLeader = true} and a test orderer (the orderer's Deliver handler
 * over an in-memory chain signed by the vectors' orderer identity).
 * Expected: the peer pulls every block the orderer cuts into its file ledger, resumes from its height
 * after a restart, and its committer refuses a tampered block.
 */
class StaticLeaderTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private TestOrderer orderer;
    private PeerNode peer;

    @BeforeEach
    void startOrderer() throws Exception {
        orderer = TestOrderers.start();
    }

    @AfterEach
    void stop() {
        if (peer != null) {
            peer.close();
        }
        orderer.close();
    }

    static ConfigReader peerConfig(Path ledgers, String mode) {
        Path msp = GeneratedCrypto.dir().resolve("crypto-config/peerOrganizations/org1.example.com/peers/peer0.org1.example.com/msp");
        return ConfigLoader.fromString("""
                peer.id = peer0.org1
                peer.localMspId = Org1MSP
                peer.mspConfigPath = "%s"
                peer.fileSystemPath = "%s"
                peer.listenAddress = "127.0.0.1:0"
                operations.listenAddress = "127.0.0.1:0"
                ledger.blockStore.fsync = false
                %s
                """.formatted(msp, ledgers, mode));
    }

    private static final String STATIC = "peer.gossip.useLeaderElection = false\npeer.gossip.orgLeader = true";

    private void awaitHeight(long height) {
        await().atMost(WAIT).until(() -> peer.chainInfo(TestOrderers.CHANNEL).map(ChainInfo::height).orElse(0L) >= height);
        assertThat(peer.chainInfo(TestOrderers.CHANNEL).orElseThrow().currentBlockHash())
                .isEqualTo(BlockHashing.headerHash(orderer.block(height - 1).getHeader()));
    }

    @Test
    void aStaticLeaderPullsAGrowingChainAndResumesFromItsHeightAfterARestart() throws Exception {
        peer = PeerNode.start(peerConfig(dir, STATIC), Clock.system());
        peer.join(orderer.genesis());
        orderer.cut(5);
        awaitHeight(6);
        orderer.cut(4);
        awaitHeight(10);
        PeerStatus.ChannelStatus status = peer.status().channels().get(0);
        assertThat(status.mode()).isEqualTo("static");
        assertThat(status.leader()).isTrue();
        assertThat(status.leaderId()).isEqualTo("peer0.org1");
        assertThat(status.delivering()).isTrue();
        assertThat(status.streamingFrom()).as("the Deliver stream is open: blocks came through it")
                .isEqualTo("127.0.0.1:" + orderer.port());

        peer.close();
        peer = null;
        orderer.cut(3);
        peer = PeerNode.start(peerConfig(dir, STATIC), Clock.system());

        assertThat(peer.channelIds()).containsExactly(TestOrderers.CHANNEL);
        awaitHeight(13);
    }

    @Test
    void aPeerWithNeitherFlagGetsTheStaticLeadersBlocksByGossipFromItsBootstrapPeer() throws Exception {
        peer = PeerNode.start(peerConfig(dir.resolve("leader"), STATIC), Clock.system());
        peer.join(orderer.genesis());
        Path msp1 = GeneratedCrypto.dir().resolve("crypto-config/peerOrganizations/org1.example.com/peers/"
                + "peer1.org1.example.com/msp");
        try (PeerNode follower = PeerNode.start(peerConfig(dir.resolve("follower"), """
                peer.id = peer1.org1
                peer.mspConfigPath = "%s"
                peer.gossip.useLeaderElection = false
                peer.gossip.orgLeader = false
                peer.gossip.bootstrap = ["127.0.0.1:%d"]
                """.formatted(msp1, peer.grpcPort())), Clock.system())) {
            follower.join(orderer.genesis());
            orderer.cut(4);

            awaitHeight(5);
            await().atMost(WAIT).until(() -> follower.chainInfo(TestOrderers.CHANNEL).orElseThrow().height() == 5);
            assertThat(follower.chainInfo(TestOrderers.CHANNEL).orElseThrow().currentBlockHash())
                    .isEqualTo(BlockHashing.headerHash(orderer.block(4).getHeader()));
            assertThat(follower.status().channels().get(0).delivering()).isFalse();
        }
    }

    @Test
    void startsEveryFileLedgerAndSkipsACorruptOneAndOneWithoutAValidConfig() throws Exception {
        Path ledgers = dir.resolve("ledgers");
        try (FileLedgerManager manager = new FileLedgerManager(ledgers, LedgerConfig.defaults().withFsync(false))) {
            manager.create(VectorGenesis.block("alpha", orderer.port(), GeneratedCrypto.dir()));
            manager.create(VectorGenesis.block("beta", orderer.port(), GeneratedCrypto.dir()));
            manager.create(TestBlocks.genesis("noconfig"));
        }
        Path corrupt = Files.createDirectories(ledgers.resolve("chains/corrupt"));
        Files.write(corrupt.resolve("blockfile_000000"), new byte[] {0, 0, 0, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});

        peer = PeerNode.start(peerConfig(ledgers, "peer.gossip.useLeaderElection = false\npeer.gossip.orgLeader = false"),
                Clock.system());

        assertThat(peer.channelIds()).containsExactly("alpha", "beta");
        assertThat(peer.status().channels()).extracting(PeerStatus.ChannelStatus::height).containsExactly(1L, 1L);
    }

    @Test
    void withNeitherFlagThePeerNeverPullsFromTheOrderer() throws Exception {
        peer = PeerNode.start(peerConfig(dir, "peer.gossip.useLeaderElection = false\npeer.gossip.orgLeader = false"),
                Clock.system());
        peer.join(orderer.genesis());
        orderer.cut(3);

        PeerStatus.ChannelStatus status = peer.status().channels().get(0);
        assertThat(status.mode()).isEqualTo("none");
        assertThat(status.delivering()).isFalse();
        assertThat(status.leaderId()).isNull();
        assertThat(peer.chainInfo(TestOrderers.CHANNEL).orElseThrow().height()).isEqualTo(1);
    }

    @Test
    void theCommitterRefusesATamperedBlockAndCommitsTheHonestOne() throws Exception {
        peer = PeerNode.start(peerConfig(dir, "peer.gossip.useLeaderElection = false\npeer.gossip.orgLeader = false"),
                Clock.system());
        peer.join(orderer.genesis());
        Block honest = orderer.nextBlock();
        byte[] tx = honest.getData().getData(0).toByteArray();
        tx[tx.length - 1] ^= 1;
        Block tampered = honest.toBuilder()
                .setData(honest.getData().toBuilder().setData(0, com.google.protobuf.ByteString.copyFrom(tx)))
                .build();
        LedgerChannel channel = (LedgerChannel) peer.channel(TestOrderers.CHANNEL).orElseThrow();

        assertThat(channel.addFromOrderer(tampered)).isEqualTo(AddResult.ACCEPTED);
        await().atMost(WAIT).until(() -> channel.addFromOrderer(honest) == AddResult.ACCEPTED);

        await().atMost(WAIT).until(() -> peer.chainInfo(TestOrderers.CHANNEL).orElseThrow().height() == 2);
        assertThat(peer.chainInfo(TestOrderers.CHANNEL).orElseThrow().currentBlockHash())
                .isEqualTo(BlockHashing.headerHash(honest.getHeader()));
    }
}
