package io.fabsim.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabsim.common.config.ConfigLoader;
import io.fabsim.common.config.ConfigReader;
import io.fabsim.common.time.Clock;
import io.fabsim.deliverserver.testing.TestOrderer;
import io.fabsim.ledger.ChainInfo;
import io.fabsim.tools.testing.GeneratedCrypto;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario: two peers of Org1 with {@code useLeaderElection = true} (real JGroups on loopback) and a
 * test orderer. Expected: exactly one of them is elected and pulls blocks; both report it as the
 * leader; the follower gets the blocks by gossip (org membership from the election); when the
 * leader stops, the other is elected and pulls the blocks cut meanwhile.
 */
class ElectionModeTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private TestOrderer orderer;
    private final List<PeerNode> peers = new ArrayList<>();

    @AfterEach
    void stop() {
        peers.forEach(PeerNode::close);
        if (orderer != null) {
            orderer.close();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static ConfigReader config(String id, Path ledgers, int port, List<Integer> ports) {
        return config(id, ledgers, port, ports, "");
    }

    /** Peer {@code id} of Org1 electing over JGroups on loopback with the peers at {@code ports}, plus {@code extra}. */
    static ConfigReader config(String id, Path ledgers, int port, List<Integer> ports, String extra) {
        Path msp = GeneratedCrypto.dir().resolve("crypto-config/peerOrganizations/org1.example.com/peers/"
                + id + ".org1.example.com/msp");
        String hosts = String.join(", ", ports.stream().map(p -> "\"127.0.0.1[" + p + "]\"").toList());
        return ConfigLoader.fromString("""
                peer.id = %s
                peer.localMspId = Org1MSP
                peer.mspConfigPath = "%s"
                peer.fileSystemPath = "%s"
                peer.listenAddress = "127.0.0.1:0"
                operations.listenAddress = "127.0.0.1:0"
                ledger.blockStore.fsync = false
                peer.gossip.useLeaderElection = true
                peer.gossip.orgLeader = false
                peer.gossip.election.jgroups.startupGracePeriod = 300ms
                peer.gossip.election.jgroups.membershipSampleInterval = 100ms
                peer.gossip.election.jgroups.bindPort = %d
                peer.gossip.election.jgroups.initialHosts = [%s]
                %s
                """.formatted(id, msp, ledgers, port, hosts, extra));
    }

    static long height(PeerNode peer) {
        return peer.chainInfo(TestOrderers.CHANNEL).map(ChainInfo::height).orElse(0L);
    }

    static PeerStatus.ChannelStatus status(PeerNode peer) {
        return peer.status().channels().get(0);
    }

    @Test
    void oneOfTwoPeersIsElectedAndDeliversAndTheOtherTakesOverWhenItStops() throws Exception {
        orderer = TestOrderers.start();
        List<Integer> ports = List.of(freePort(), freePort());
        for (int i = 0; i < 2; i++) {
            PeerNode peer = PeerNode.start(config("peer" + i, dir.resolve("p" + i), ports.get(i), ports), Clock.system());
            peers.add(peer);
            peer.join(orderer.genesis());
        }

        await().atMost(WAIT).until(() -> peers.stream().filter(p -> status(p).delivering()).count() == 1);
        PeerNode leader = peers.stream().filter(p -> status(p).leader()).findFirst().orElseThrow();
        PeerNode follower = peers.get(0) == leader ? peers.get(1) : peers.get(0);
        await().atMost(WAIT).until(() -> leader.id().equals(status(follower).leaderId()));
        assertThat(status(leader).mode()).isEqualTo("election");
        assertThat(status(leader).leaderId()).isEqualTo(leader.id());
        assertThat(status(follower).leader()).isFalse();
        assertThat(status(follower).delivering()).isFalse();
        orderer.cut(3);
        await().atMost(WAIT).until(() -> height(leader) == 4);
        // The follower does not deliver: it gets the blocks by gossip (membership from the election).
        await().atMost(WAIT).until(() -> height(follower) == 4);
        assertThat(status(follower).delivering()).isFalse();

        leader.close();
        peers.remove(leader);
        orderer.cut(2);

        await().atMost(WAIT).until(() -> status(follower).delivering() && height(follower) == 6);
        assertThat(status(follower).leader()).isTrue();
        assertThat(status(follower).leaderId()).isEqualTo(follower.id());
    }

    /**
     * Scenario: the orderer goes away while two elected peers run, with a short
     * reconnectTotalTimeThreshold. Expected: the leader's deliver client gives up, its finalizer
     * yields leadership, and the other peer is elected.
     */
    @Test
    void aLeaderWhoseDeliverClientGivesUpYieldsToTheOtherPeer() throws Exception {
        orderer = TestOrderers.start();
        List<Integer> ports = List.of(freePort(), freePort());
        String giveUpFast = """
                peer.deliveryclient.reconnectTotalTimeThreshold = 500ms
                peer.deliveryclient.reConnectBackoffThreshold = 100ms
                peer.deliveryclient.connTimeout = 200ms
                peer.gossip.election.yieldCooldown = 30s
                """;
        for (int i = 0; i < 2; i++) {
            PeerNode peer = PeerNode.start(config("peer" + i, dir.resolve("p" + i), ports.get(i), ports, giveUpFast),
                    Clock.system());
            peers.add(peer);
            peer.join(orderer.genesis());
        }
        await().atMost(WAIT).until(() -> peers.stream().filter(p -> status(p).leader()).count() == 1);
        PeerNode first = peers.stream().filter(p -> status(p).leader()).findFirst().orElseThrow();
        PeerNode second = peers.get(0) == first ? peers.get(1) : peers.get(0);

        orderer.close();
        orderer = null;

        await().atMost(WAIT).until(() -> status(second).leader() && second.id().equals(status(first).leaderId()));
        assertThat(status(first).leader()).isFalse();
        assertThat(status(first).delivering()).isFalse();
    }
}
