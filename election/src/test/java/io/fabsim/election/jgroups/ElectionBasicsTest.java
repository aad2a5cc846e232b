package io.fabsim.election.jgroups;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabsim.election.ElectionMember;
import io.fabsim.election.jgroups.ElectionCluster.Member;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Fabric's election_test.go cases for start-up, takeover, stop and eligibility, on an in-JVM cluster. */
class ElectionBasicsTest {

    private static final String CH = "mychannel";

    @Test
    void peersStartingAtTheSameTimeElectOneLeader() {
        // Scenario: four peers start concurrently and join the channel.
        // Expected: exactly one leader, and every peer names the same one.
        try (ElectionCluster cluster = new ElectionCluster()) {
            List<CompletableFuture<Void>> starts = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String name = "p" + i;
                starts.add(CompletableFuture.runAsync(() -> {
                    cluster.start(name);
                    cluster.join(name, CH, true);
                }));
            }
            starts.forEach(CompletableFuture::join);
            cluster.awaitUntil("one leader known to all", 20, () -> {
                List<String> leaders = cluster.leaders(CH);
                return leaders.size() == 1 && cluster.live().stream().allMatch(m ->
                        m.election.leaderOf(CH).equals(java.util.Optional.of(leaders.get(0))));
            });
        }
    }

    @Test
    void peersStartingAtIntervalsKeepTheFirstLeader() {
        // Scenario: p0 starts and becomes leader; p1..p3 start one after the other.
        // Expected: p0 stays leader throughout (its listener never heard false), others never lead.
        try (ElectionCluster cluster = new ElectionCluster()) {
            cluster.start("p0");
            cluster.join("p0", CH, true);
            cluster.awaitUntil("p0 leads", 10, () -> cluster.leaders(CH).equals(List.of("p0")));
            for (int i = 1; i < 4; i++) {
                String name = "p" + i;
                cluster.start(name);
                cluster.join(name, CH, true);
                cluster.awaitUntil(name + " knows p0 leads", 10,
                        () -> cluster.member(name).election.leaderOf(CH).equals(java.util.Optional.of("p0")));
            }
            assertThat(cluster.leaders(CH)).containsExactly("p0");
            assertThat(cluster.member("p0").recorder(CH).changes).containsExactly(true);
            for (int i = 1; i < 4; i++) {
                assertThat(cluster.member("p" + i).recorder(CH).changes).isEmpty();
            }
        }
    }

    @Test
    void leaderStopsAndAnotherTakesOver() {
        // Scenario: three peers, the leader leaves the cluster.
        // Expected: one of the two others becomes leader, and both name it.
        try (ElectionCluster cluster = new ElectionCluster()) {
            for (String p : List.of("p0", "p1", "p2")) {
                cluster.start(p);
                cluster.join(p, CH, true);
            }
            cluster.awaitUntil("one leader", 10, () -> cluster.leaders(CH).size() == 1);
            String old = cluster.leaders(CH).get(0);
            cluster.stop(old);
            cluster.awaitUntil("a new leader", 10, () -> cluster.leaders(CH).size() == 1);
            String next = cluster.leaders(CH).get(0);
            assertThat(next).isNotEqualTo(old);
            cluster.awaitUntil("all name " + next, 10, () -> cluster.live().stream()
                    .allMatch(m -> m.election.leaderOf(CH).equals(java.util.Optional.of(next))));
        }
    }

    @Test
    void stoppedPeerGetsNoMoreCallbacksAndLeavesTheMembership() {
        // Scenario: p0 leads; p0 is stopped; the others elect a new leader and then yield and leave.
        // Expected: p0's listener hears nothing after close; members() of the others no longer lists p0.
        try (ElectionCluster cluster = new ElectionCluster()) {
            for (String p : List.of("p0", "p1", "p2")) {
                cluster.start(p);
                cluster.join(p, CH, true);
            }
            cluster.awaitUntil("p0 leads", 10, () -> cluster.leaders(CH).equals(List.of("p0")));
            Member p0 = cluster.member("p0");
            cluster.stop("p0");
            int heard = p0.recorder(CH).changes.size();
            cluster.awaitUntil("a new leader", 10, () -> cluster.leaders(CH).size() == 1);
            String next = cluster.leaders(CH).get(0);
            cluster.member(next).election.yield(CH);
            cluster.awaitUntil("another leader", 10, () -> cluster.leaders(CH).size() == 1
                    && !cluster.leaders(CH).contains(next));
            assertThat(p0.recorder(CH).changes).hasSize(heard);
            assertThat(p0.election.isLeader(CH)).isFalse();
            assertThat(cluster.member("p1").election.members()).extracting(ElectionMember::nodeName)
                    .containsExactlyInAnyOrder("p1", "p2");
        }
    }

    @Test
    void nonEligibleMemberIsNeverChosen() {
        // Scenario: p0 (coordinator) joined the channel without useLeaderElection; p1 is eligible.
        // Expected: p1 leads; when p1 stops nobody leads; p0 never leads, and is listed as a member.
        try (ElectionCluster cluster = new ElectionCluster()) {
            cluster.start("p0");
            cluster.join("p0", CH, false);
            cluster.start("p1");
            cluster.join("p1", CH, true);
            cluster.awaitUntil("p1 leads", 10, () -> cluster.leaders(CH).equals(List.of("p1")));
            assertThat(cluster.member("p0").election.members()).anySatisfy(m -> {
                assertThat(m.nodeName()).isEqualTo("p0");
                assertThat(m.channels()).containsExactly(CH);
                assertThat(m.eligibleChannels()).isEmpty();
                assertThat(m.metadata()).containsEntry("gossipEndpoint", "p0:7051");
            });
            cluster.stop("p1");
            cluster.awaitUntil("p0 knows no leader", 10, () -> cluster.member("p0").election.leaderOf(CH).isEmpty());
            assertThat(cluster.leaders(CH)).isEmpty();
            assertThat(cluster.member("p0").recorder(CH).changes).isEmpty();
        }
    }

    @Test
    void leaderLeavingTheChannelHandsItOverAndRejoinsAsFollower() {
        // Scenario: p0 leads; p0 leaves the channel (the peer closes it), then joins it again.
        // Expected: p0's listener hears false, p1 leads; after the rejoin p1 still leads (sticky).
        try (ElectionCluster cluster = new ElectionCluster()) {
            for (String p : List.of("p0", "p1")) {
                cluster.start(p);
                cluster.join(p, CH, true);
            }
            cluster.awaitUntil("p0 leads", 10, () -> cluster.leaders(CH).equals(List.of("p0")));
            ElectionCluster.Recorder before = cluster.member("p0").recorder(CH);
            cluster.member("p0").election.leave(CH);
            assertThat(before.changes).containsExactly(true, false);
            cluster.awaitUntil("p1 leads", 10, () -> cluster.leaders(CH).equals(List.of("p1")));
            cluster.join("p0", CH, true);
            cluster.awaitUntil("p0 knows p1 leads", 10,
                    () -> cluster.member("p0").election.leaderOf(CH).equals(java.util.Optional.of("p1")));
            assertThat(cluster.leaders(CH)).containsExactly("p1");
            cluster.stop("p0");
            cluster.member("p0").election.leave(CH);
            cluster.member("p0").election.yield(CH);
        }
    }

    @Test
    void eachOrganizationElectsItsOwnLeader() {
        // Scenario: two orgs (two clusters in one JVM), two peers each, the same channel name.
        // Expected: one leader per org; members() lists only the org's own peers.
        try (ElectionCluster org1 = new ElectionCluster(); ElectionCluster org2 = new ElectionCluster()) {
            for (String p : List.of("a0", "a1")) {
                org1.start(p);
                org1.join(p, CH, true);
            }
            for (String p : List.of("b0", "b1")) {
                org2.start(p);
                org2.join(p, CH, true);
            }
            org1.awaitUntil("one leader in org1", 10, () -> org1.leaders(CH).size() == 1);
            org2.awaitUntil("one leader in org2", 10, () -> org2.leaders(CH).size() == 1);
            assertThat(org1.member("a0").election.members()).extracting(ElectionMember::nodeName)
                    .containsExactly("a0", "a1");
        }
    }
}
