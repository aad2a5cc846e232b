package io.fabsim.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabsim.common.config.ConfigLoader;
import io.fabsim.common.config.ConfigReader;
import io.fabsim.common.protoutil.BlockHashing;
import io.fabsim.common.testing.FabricVectors;
import io.fabsim.common.time.Clock;
import io.fabsim.deliverserver.testing.TestOrderer;
import io.fabsim.ledger.ChainInfo;
import io.fabsim.peer.fabric.FabricPeerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fabric's gossip between fabsim peers and a real Fabric v2.5.12 peer of the same org (the vectors'
 * Org1, TLS everywhere). Each test says its scenario.
 */
class FabricGossipTest {

    private static final Duration WAIT = Duration.ofSeconds(180);
    /** The membership timers of every peer here (Fabric's keys, short). */
    private static final Duration ALIVE = Duration.ofSeconds(1);
    private static final Duration EXPIRATION = Duration.ofSeconds(8);
    private static final Path ORG1 = Path.of("crypto-config/peerOrganizations/org1.example.com");

    @TempDir
    Path dir;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    @Test
    void aFabricPeerWithNeitherFlagCommitsEveryBlockItGetsByGossipFromAFabsimStaticLeader() throws Exception {
        // Scenario: fabsim peer0 is Org1's static leader (pulls from a test orderer), fabsim peer1 and a
        // real Fabric peer2 have orgLeader = false and useLeaderElection = false; peer1 and the Fabric
        // peer know only peer0 (bootstrap). The orderer cuts 5 blocks, then 5 more, then pauses.
        // Expected: the Fabric peer commits every block the leader committed, through gossip (its log
        // shows no Deliver stream), and once cutting pauses all three show the same height and hash.
        FabricPeerProcess.assumeAvailable();
        TestOrderer orderer = closing(TestOrderers.start(FabricVectors.dir(), true));
        PeerNode leader = closing(PeerNode.start(fabsimPeer("peer0", "orgLeader = true", ""), Clock.system()));
        leader.join(orderer.genesis());
        String bootstrap = "127.0.0.1:" + leader.grpcPort();
        PeerNode follower = closing(PeerNode.start(fabsimPeer("peer1", "orgLeader = false",
                "peer.gossip.bootstrap = [\"" + bootstrap + "\"]"), Clock.system()));
        follower.join(orderer.genesis());
        FabricPeerProcess fabric = closing(fabricPeer("peer2", Map.of("CORE_PEER_GOSSIP_BOOTSTRAP", bootstrap,
                "CORE_PEER_GOSSIP_USELEADERELECTION", "false", "CORE_PEER_GOSSIP_ORGLEADER", "false")));
        Path genesis = Files.write(dir.resolve("genesis.block"), orderer.genesis().toByteArray());
        await().atMost(WAIT).until(fabric::started);
        fabric.join(admin(), genesis);

        orderer.cut(5);
        awaitHeight(leader, 6, orderer);
        awaitFabricHeight(fabric, 6);
        orderer.cut(5);
        awaitHeight(leader, 11, orderer);
        awaitFabricHeight(fabric, 11);
        awaitHeight(follower, 11, orderer);

        FabricPeerProcess.ChainInfo info = fabric.chainInfo(admin(), TestOrderers.CHANNEL);
        assertThat(info.height()).isEqualTo(leader.chainInfo(TestOrderers.CHANNEL).orElseThrow().height());
        assertThat(info.currentBlockHash()).isEqualTo(leader.chainInfo(TestOrderers.CHANNEL).orElseThrow().currentBlockHash());
        assertThat(fabric.log()).as("the Fabric peer never pulled from the orderer")
                .doesNotContain("starting delivery service").doesNotContain("Starting deliver with block");

        // Membership: the leader's /status lists the Fabric peer, learned from its alive messages;
        // killed, it is listed dead (after aliveExpirationTimeout: DiscoveryTest checks the bound on a
        // manual clock; here a generous one, the machine is shared).
        await().atMost(WAIT).until(() -> leader.status().membership().stream()
                .anyMatch(m -> m.endpoint().equals(fabric.address()) && m.alive()));
        fabric.kill();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> leader.status().membership().stream()
                .anyMatch(m -> m.endpoint().equals(fabric.address()) && !m.alive()));
    }

    @Test
    void fabsimPeersCommitEveryBlockAFabricStaticLeaderGossipsToThem() throws Exception {
        // Scenario: a real Fabric peer0 is Org1's static leader (orgLeader = true, pulls from a test
        // orderer over TLS); fabsim peer1 and peer2 have neither flag and know only the Fabric peer
        // (bootstrap). The orderer cuts 5 blocks, then 5 more, then pauses.
        // Expected: both fabsim peers commit every block, by gossip, with the Fabric peer's height and hash.
        FabricPeerProcess.assumeAvailable();
        TestOrderer orderer = closing(TestOrderers.start(FabricVectors.dir(), true));
        FabricPeerProcess fabric = closing(fabricPeer("peer0", Map.of("CORE_PEER_GOSSIP_USELEADERELECTION", "false",
                "CORE_PEER_GOSSIP_ORGLEADER", "true")));
        Path genesis = Files.write(dir.resolve("genesis.block"), orderer.genesis().toByteArray());
        await().atMost(WAIT).until(fabric::started);
        fabric.join(admin(), genesis);
        String bootstrap = "peer.gossip.bootstrap = [\"" + fabric.address() + "\"]";
        List<PeerNode> followers = new ArrayList<>();
        for (String name : List.of("peer1", "peer2")) {
            PeerNode follower = closing(PeerNode.start(fabsimPeer(name, "orgLeader = false", bootstrap), Clock.system()));
            follower.join(orderer.genesis());
            followers.add(follower);
        }

        orderer.cut(5);
        awaitFabricHeight(fabric, 6);
        for (PeerNode follower : followers) {
            awaitHeight(follower, 6, orderer);
        }
        orderer.cut(5);
        awaitFabricHeight(fabric, 11);
        for (PeerNode follower : followers) {
            awaitHeight(follower, 11, orderer);
            assertThat(follower.status().channels().get(0).delivering()).isFalse();
        }
        assertThat(fabric.chainInfo(admin(), TestOrderers.CHANNEL).currentBlockHash())
                .isEqualTo(BlockHashing.headerHash(orderer.block(10).getHeader()));
    }

    /** Closed after the test, last opened first. */
    private <T extends AutoCloseable> T closing(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    private static void awaitHeight(PeerNode peer, long height, TestOrderer orderer) {
        await().atMost(WAIT).until(() -> peer.chainInfo(TestOrderers.CHANNEL).map(ChainInfo::height).orElse(0L) >= height);
        assertThat(peer.chainInfo(TestOrderers.CHANNEL).orElseThrow().currentBlockHash())
                .isEqualTo(BlockHashing.headerHash(orderer.block(height - 1).getHeader()));
    }

    private static void awaitFabricHeight(FabricPeerProcess fabric, long height) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> fabric.chainInfo(admin(), TestOrderers.CHANNEL).height() >= height);
    }

    /** A fabsim peer of Org1 with TLS and short membership timers. */
    private ConfigReader fabsimPeer(String name, String leaderFlag, String extra) {
        Path peer = FabricVectors.dir().resolve(ORG1).resolve("peers/" + name + ".org1.example.com");
        return ConfigLoader.fromString("""
                peer.id = %s.org1.example.com
                peer.localMspId = Org1MSP
                peer.mspConfigPath = "%s"
                peer.fileSystemPath = "%s"
                peer.listenAddress = "127.0.0.1:0"
                peer.tls { enabled = true, cert.file = "%s", key.file = "%s", rootcert.file = "%s" }
                operations.listenAddress = "127.0.0.1:0"
                ledger.blockStore.fsync = false
                peer.gossip.useLeaderElection = false
                peer.gossip.%s
                peer.gossip { aliveTimeInterval = %s, aliveExpirationTimeout = %s }
                %s
                """.formatted(name, peer.resolve("msp"), dir.resolve(name), peer.resolve("tls/server.crt"),
                peer.resolve("tls/server.key"), peer.resolve("tls/ca.crt"), leaderFlag, ALIVE.toMillis() + "ms",
                EXPIRATION.toMillis() + "ms", extra));
    }

    private FabricPeerProcess fabricPeer(String name, Map<String, String> env) throws Exception {
        Path org = FabricVectors.dir().resolve(ORG1);
        Path peer = org.resolve("peers/" + name + ".org1.example.com");
        Map<String, String> all = new java.util.HashMap<>(Map.of(
                "CORE_PEER_GOSSIP_ALIVETIMEINTERVAL", ALIVE.toMillis() + "ms",
                "CORE_PEER_GOSSIP_ALIVEEXPIRATIONTIMEOUT", EXPIRATION.toMillis() + "ms"));
        all.putAll(env);
        return FabricPeerProcess.start(FabricPeerProcess.Settings.of(name + ".org1.example.com", "Org1MSP", peer)
                .withEnv(all), dir.resolve("fabric-" + name));
    }

    private static FabricPeerProcess.CliIdentity admin() {
        return FabricPeerProcess.CliIdentity.ofUser("Org1MSP",
                FabricVectors.dir().resolve(ORG1).resolve("users/Admin@org1.example.com"));
    }
}
