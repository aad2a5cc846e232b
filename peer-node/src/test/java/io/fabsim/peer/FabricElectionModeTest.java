package io.fabsim.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static io.fabsim.peer.ElectionModeTest.freePort;
import static io.fabsim.peer.ElectionModeTest.height;
import static io.fabsim.peer.ElectionModeTest.status;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.fabsim.common.config.ConfigLoader;
import io.fabsim.common.config.ConfigReader;
import io.fabsim.common.time.Clock;
import io.fabsim.deliverserver.testing.TestOrderer;
import io.fabsim.tools.testing.GeneratedCrypto;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Scenario: three assembled peers of Org1 with {@code useLeaderElection = true} and
 * {@code peer.gossip.election.algorithm = fabric} (no JGroups: signed leadership messages over the
 * gossip transport, org peers from {@code peer.gossip.bootstrap}), short Fabric timings (alive
 * threshold 1 s, election 0.5 s, sampling 0.1 s), and a test orderer.
 * Expected: once settled, exactly one peer delivers and every peer names it as leader; blocks reach all three;
 * when the leader closes, another peer takes over (logging Fabric's line) and every remaining peer
 * converges on the blocks cut meanwhile.
 */
class FabricElectionModeTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private TestOrderer orderer;
    private final List<PeerNode> peers = new ArrayList<>();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger channelLog = (Logger) LoggerFactory.getLogger(LedgerChannel.class);

    @AfterEach
    void stop() {
        channelLog.detachAppender(logs);
        peers.forEach(PeerNode::close);
        if (orderer != null) {
            orderer.close();
        }
    }

    private static ConfigReader config(String id, Path ledgers, int gossipPort, List<Integer> gossipPorts) {
        Path msp = GeneratedCrypto.dir().resolve("crypto-config/peerOrganizations/org1.example.com/peers/"
                + id + ".org1.example.com/msp");
        String bootstrap = String.join(", ", gossipPorts.stream().map(p -> "\"127.0.0.1:" + p + "\"").toList());
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
                peer.gossip.endpoint = "127.0.0.1:%d"
                peer.gossip.bootstrap = [%s]
                peer.gossip.reconnectInterval = 200ms
                peer.gossip.election {
                  algorithm = fabric
                  startupGracePeriod = 1s
                  membershipSampleInterval = 100ms
                  leaderAliveThreshold = 1s
                  leaderElectionDuration = 500ms
                }
                """.formatted(id, msp, ledgers, gossipPort, bootstrap));
    }

    private long delivering() {
        return peers.stream().filter(p -> status(p).delivering()).count();
    }

    private long electedLines() {
        return logs.list.stream().filter(e -> e.getFormattedMessage()
                .equals("Elected as a leader, starting delivery service for channel " + TestOrderers.CHANNEL)).count();
    }

    private String describe() {
        return peers.stream().map(p -> p.id() + ": " + status(p)).toList().toString();
    }

    @Test
    void exactlyOneOfThreeDeliversAndAnotherTakesOverWhenItCloses() throws Exception {
        logs.start();
        channelLog.addAppender(logs);
        orderer = TestOrderers.start();
        List<Integer> ports = List.of(freePort(), freePort(), freePort());
        for (int i = 0; i < 3; i++) {
            PeerNode peer = PeerNode.start(config("peer" + i, dir.resolve("p" + i), ports.get(i), ports), Clock.system());
            peers.add(peer);
            peer.join(orderer.genesis());
        }

        PeerNode leader = awaitSettledLeader();
        assertThat(status(leader).leader()).isTrue();
        // Peers that start seconds apart may each lead before they connect, and a lower PKI-ID then
        // takes over (Fabric does the same): the count of "Elected" lines is compared from here on.
        long electedBefore = electedLines();
        orderer.cut(3);
        await().atMost(WAIT).untilAsserted(() -> assertThat(peers).as(describe()).allMatch(p -> height(p) == 4));
        assertThat(delivering()).isEqualTo(1);

        leader.close();
        peers.remove(leader);
        orderer.cut(2);

        PeerNode next = awaitSettledLeader();
        assertThat(next).isNotSameAs(leader);
        await().atMost(WAIT).untilAsserted(() -> assertThat(peers).as(describe()).allMatch(p -> height(p) == 6));
        assertThat(electedLines()).isGreaterThan(electedBefore);
        orderer.cut(1);
        await().atMost(WAIT).untilAsserted(() -> assertThat(peers).as(describe()).allMatch(p -> height(p) == 7));
        assertThat(delivering()).isEqualTo(1);
    }

    /** Waits until exactly one peer delivers and every peer names it (by its certificate's name) as leader. */
    private PeerNode awaitSettledLeader() {
        java.util.concurrent.atomic.AtomicReference<PeerNode> settled = new java.util.concurrent.atomic.AtomicReference<>();
        await().atMost(WAIT).untilAsserted(() -> {
            java.util.Optional<PeerNode> now = settledLeader();
            assertThat(now).as(describe()).isPresent();
            settled.set(now.get());
        });
        return settled.get();
    }

    private java.util.Optional<PeerNode> settledLeader() {
        List<PeerNode> delivering = peers.stream().filter(p -> status(p).delivering()).toList();
        if (delivering.size() != 1) {
            return java.util.Optional.empty();
        }
        String name = delivering.get(0).id() + ".org1.example.com";
        return peers.stream().allMatch(p -> Objects.equals(status(p).leaderId(), name))
                ? java.util.Optional.of(delivering.get(0)) : java.util.Optional.empty();
    }
}
