package io.fabsim.election.fabric;

import static io.fabsim.election.fabric.ElectionNetwork.CONFIG;
import static io.fabsim.election.fabric.ElectionNetwork.leaders;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.fabsim.election.fabric.ElectionNetwork.Peer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Ports of every scenario of Fabric's {@code gossip/election/election_test.go}, with Fabric's test
 * timings (startupGracePeriod 500 ms, membershipSampleInterval 100 ms, leaderAliveThreshold 500 ms,
 * leaderElectionDuration 500 ms) on a manual clock: each runs in milliseconds of real time.
 */
class FabricElectionTest {

    private static final Duration DECLARATION_INTERVAL = CONFIG.declarationInterval();
    private static final Duration ALIVE = CONFIG.leaderAliveThreshold();

    private final ElectionNetwork net = new ElectionNetwork();

    @AfterEach
    void close() {
        net.close();
    }

    /**
     * Scenario: one peer elects itself, yields, and elects itself again (Fabric's TestMetrics; the
     * leader gauge, gossip_leader_election_leader, follows these callbacks in peer-node).
     * Expected: told true, then false at the yield, then true again.
     */
    @Test
    void leadershipCallbacksFollowLeadership() {
        Peer p = net.start("peer0");
        net.awaitLeaders(List.of(p), 1);
        net.awaitTrue(p::leaderFromCallback, "told it leads", List.of(p));
        p.election.yield(ElectionNetwork.CHANNEL);
        assertThat(p.isLeader()).isFalse();
        net.clock.runDueTasks();
        assertThat(p.callbacks).containsExactly(true, false);
        net.awaitLeaders(List.of(p), 1);
        net.awaitTrue(p::leaderFromCallback, "told it leads again", List.of(p));
        assertThat(p.callbacks).containsExactly(true, false, true);
    }

    /**
     * Scenario: ten peers start together (Fabric's TestInitPeersAtSameTime).
     * Expected: the lowest PKI-ID, p0, leads alone, is told so, and still leads six thresholds later.
     */
    @Test
    void peersStartingTogetherElectTheLowestId() {
        List<Peer> peers = net.start(Duration.ZERO, "p9", "p8", "p7", "p6", "p5", "p4", "p3", "p2", "p1", "p0");
        net.clock.advance(CONFIG.startupGracePeriod().plus(CONFIG.leaderElectionDuration()));
        assertThat(net.awaitLeaders(peers, 1)).containsExactly("p0");
        Peer p0 = peers.get(9);
        net.awaitTrue(p0::leaderFromCallback, "p0 told it leads", peers);
        net.clock.advance(ALIVE.multipliedBy(6));
        assertThat(leaders(peers)).containsExactly("p0");
    }

    /**
     * Scenario: peers start one after another, each after the previous one settled (Fabric's
     * TestInitPeersStartAtIntervals).
     * Expected: the first peer, p3, leads although it has the highest PKI-ID: leadership is sticky.
     */
    @Test
    void peersStartingAtIntervalsKeepTheFirstLeader() {
        List<Peer> peers = net.start(CONFIG.startupGracePeriod().plus(DECLARATION_INTERVAL), "p3", "p2", "p1", "p0");
        assertThat(net.awaitLeaders(peers, 1)).containsExactly("p3");
        net.clock.advance(ALIVE.multipliedBy(4));
        assertThat(leaders(peers)).containsExactly("p3");
    }

    /**
     * Scenario: four peers elect a leader, then all stop (Fabric's TestStop).
     * Expected: after a threshold nothing more is gossiped.
     */
    @Test
    void stoppedPeersGossipNothing() {
        List<Peer> peers = List.of(net.start("p3"), net.start("p2"), net.start("p1"), net.start("p0"));
        net.awaitLeaders(peers, 1);
        peers.forEach(p -> p.election.close());
        net.clock.advance(ALIVE);
        int gossiped = net.gossiped.get();
        net.clock.advance(ALIVE.multipliedBy(5));
        assertThat(net.gossiped.get()).isEqualTo(gossiped);
        assertThat(leaders(peers)).isEmpty();
    }

    /**
     * Scenario: two halves of the org elect one leader each, then see each other (Fabric's TestConvergence).
     * Expected: one leader remains, the lower one (p0); the other half's leader is told it lost.
     */
    @Test
    void twoLeadersConvergeToTheLowestId() {
        net.partition(List.of(Set.of("p0", "p1", "p2", "p3"), Set.of("p4", "p5", "p6", "p7")));
        List<Peer> half1 = List.of(net.start("p3"), net.start("p2"), net.start("p1"), net.start("p0"));
        List<Peer> half2 = List.of(net.start("p4"), net.start("p5"), net.start("p6"), net.start("p7"));
        assertThat(net.awaitLeaders(half1, 1)).containsExactly("p0");
        assertThat(net.awaitLeaders(half2, 1)).containsExactly("p4");
        List<Peer> all = new ArrayList<>(half1);
        all.addAll(half2);
        net.heal();
        net.clock.advance(ALIVE.multipliedBy(5));
        assertThat(net.awaitLeaders(all, 1)).containsExactly("p0");
        for (Peer p : all) {
            net.awaitTrue(() -> p.leaderFromCallback() == p.id.equals("p0"), p.id + " told its leadership", all);
        }
        assertThat(half2.get(0).callbacks).containsExactly(true, false);
    }

    /**
     * Scenario: p5 starts first and leads; p4, p3, p2 follow; then p5 stops (Fabric's TestLeadershipTakeover).
     * Expected: the lowest remaining PKI-ID, p2, takes over.
     */
    @Test
    void lowestRemainingIdTakesOverFromAStoppedLeader() {
        List<Peer> peers = net.start(CONFIG.startupGracePeriod().plus(DECLARATION_INTERVAL), "p5", "p4", "p3", "p2");
        assertThat(net.awaitLeaders(peers, 1)).containsExactly("p5");
        peers.get(0).election.close();
        net.clock.advance(DECLARATION_INTERVAL.plus(ALIVE.multipliedBy(3)));
        assertThat(net.awaitLeaders(peers.subList(1, 4), 1)).containsExactly("p2");
    }

    /**
     * Scenario: the leader p0 of six peers yields, then yields again (Fabric's TestWaive).
     * Expected: it is told at once it no longer leads, the second yield changes nothing, and another
     * peer leads, still after two more thresholds.
     */
    @Test
    void yieldingLeaderHandsOver() {
        List<Peer> peers = net.start(Duration.ZERO, "p0", "p1", "p2", "p3", "p4", "p5");
        assertThat(net.awaitLeaders(peers, 1)).containsExactly("p0");
        Peer p0 = peers.get(0);
        net.awaitTrue(p0::leaderFromCallback, "p0 told it leads", peers);
        p0.election.yield(ElectionNetwork.CHANNEL);
        assertThat(p0.isLeader()).isFalse();
        net.clock.runDueTasks();
        assertThat(p0.callbacks).containsExactly(true, false);
        p0.election.yield(ElectionNetwork.CHANNEL);
        net.clock.runDueTasks();
        assertThat(p0.callbacks).containsExactly(true, false);
        net.awaitTrue(() -> leaders(peers).size() == 1 && !leaders(peers).contains("p0"), "one leader, not p0", peers);
        net.clock.advance(ALIVE.multipliedBy(2));
        assertThat(leaders(peers)).hasSize(1).doesNotContain("p0");
    }

    /**
     * Scenario: a peer alone yields (Fabric's TestWaiveSinglePeer).
     * Expected: it stops leading, then leads again once its yield period is over.
     */
    @Test
    void singlePeerLeadsAgainAfterYielding() {
        Peer p0 = net.start("p0");
        net.awaitLeaders(List.of(p0), 1);
        p0.election.yield(ElectionNetwork.CHANNEL);
        assertThat(p0.isLeader()).isFalse();
        net.clock.advance(CONFIG.yieldPeriod().minus(ALIVE));
        assertThat(p0.isLeader()).as("still yielding").isFalse();
        net.awaitLeaders(List.of(p0), 1);
    }

    /**
     * Scenario: of two peers, the leader p0 yields, then the new leader p1 yields (Fabric's TestWaiveAllPeers).
     * Expected: p1 takes over, then p0 again.
     */
    @Test
    void everyPeerYieldingInTurn() {
        List<Peer> peers = List.of(net.start("p0"), net.start("p1"));
        assertThat(net.awaitLeaders(peers, 1)).containsExactly("p0");
        peers.get(0).election.yield(ElectionNetwork.CHANNEL);
        assertThat(net.awaitLeaders(peers, 1)).containsExactly("p1");
        peers.get(1).election.yield(ElectionNetwork.CHANNEL);
        assertThat(net.awaitLeaders(peers, 1)).containsExactly("p0");
    }

    /**
     * Scenario: six peers elect p0, then every peer is cut off from all others, then the network
     * heals (Fabric's TestPartition).
     * Expected: all six lead while cut off (and are told so); after the heal only p0 leads and the
     * others are told they stopped.
     */
    @Test
    void partitionMakesEveryPeerLeadAndHealingLeavesOne() {
        List<Peer> peers = net.start(Duration.ZERO, "p5", "p4", "p3", "p2", "p1", "p0");
        assertThat(net.awaitLeaders(peers, 1)).containsExactly("p0");
        net.isolateAll();
        net.clock.advance(DECLARATION_INTERVAL.plus(ALIVE.multipliedBy(2)));
        assertThat(net.awaitLeaders(peers, 6)).hasSize(6);
        for (Peer p : peers) {
            net.awaitTrue(p::leaderFromCallback, p.id + " told it leads", peers);
        }
        net.heal();
        net.clock.advance(DECLARATION_INTERVAL.plus(ALIVE.multipliedBy(2)));
        assertThat(net.awaitLeaders(peers, 1)).containsExactly("p0");
        for (Peer p : peers) {
            net.awaitTrue(() -> p.leaderFromCallback() == p.id.equals("p0"), p.id + " told its leadership", peers);
        }
    }

    /**
     * Scenario: p0 of six yields, p1 takes over and keeps it, then p1 yields (Fabric's TestStopLeader).
     * Expected: p1 leads for six thresholds, then p0, whose yield period ended, leads again.
     */
    @Test
    void leadershipPassesOnAtEachYield() {
        List<Peer> peers = net.start(Duration.ZERO, "p5", "p4", "p3", "p2", "p1", "p0");
        assertThat(net.awaitLeaders(peers, 1)).containsExactly("p0");
        peers.get(5).election.yield(ElectionNetwork.CHANNEL);
        assertThat(net.awaitLeaders(peers, 1)).containsExactly("p1");
        net.clock.advance(ALIVE.multipliedBy(6));
        assertThat(net.awaitLeaders(peers, 1)).containsExactly("p1");
        peers.get(4).election.yield(ElectionNetwork.CHANNEL);
        assertThat(net.awaitLeaders(peers, 1)).containsExactly("p0");
    }

    /**
     * Scenario: leaderOf on a follower and on the leader.
     * Expected: both name the leader by its name; after the leader stops, followers forget it.
     */
    @Test
    void followersKnowTheLeaderByName() {
        List<Peer> peers = List.of(net.start("p1"), net.start("p0"));
        net.awaitLeaders(peers, 1);
        net.awaitTrue(() -> peers.get(0).election.leaderOf(ElectionNetwork.CHANNEL).isPresent(), "p1 knows", peers);
        assertThat(peers.get(0).election.leaderOf(ElectionNetwork.CHANNEL)).contains("p0");
        assertThat(peers.get(1).election.leaderOf(ElectionNetwork.CHANNEL)).contains("p0");
    }

    @Test
    void pkiIdsCompareAsUnsignedBytesLikeGo() {
        ByteString low = ByteString.copyFrom(new byte[] {0x7f});
        ByteString high = ByteString.copyFrom(new byte[] {(byte) 0x80});
        assertThat(ChannelElection.compare(low, high)).isNegative();
        assertThat(ChannelElection.compare(ByteString.copyFromUtf8("p1"), ByteString.copyFromUtf8("p10"))).isNegative();
        assertThat(ChannelElection.compare(ByteString.copyFromUtf8("p2"), ByteString.copyFromUtf8("p10"))).isPositive();
    }
}
