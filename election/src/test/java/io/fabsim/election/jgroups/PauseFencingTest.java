package io.fabsim.election.jgroups;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabsim.common.time.Clock;
import io.fabsim.common.time.ManualClock;
import io.fabsim.election.ElectionConfig;
import io.fabsim.election.jgroups.ElectionCluster.Member;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jgroups.protocols.FD_ALL3;
import org.jgroups.protocols.MERGE3;
import org.jgroups.protocols.SHARED_LOOPBACK;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.stack.ProtocolStack;
import org.junit.jupiter.api.Test;

/** A member that finds it was frozen stands down at once and leads again only when confirmed. */
class PauseFencingTest {

    private static final String CH = "mychannel";
    private static final Clock REAL_TIME = Clock.system();

    @Test
    void detectorReportsOnlyGapsAboveTheThreshold() {
        ManualClock clock = new ManualClock();
        List<Long> pauses = new ArrayList<>();
        PauseDetector d = new PauseDetector(clock, Duration.ofMillis(500), pauses::add);
        clock.advance(Duration.ofMillis(400));
        d.tick();
        clock.advance(Duration.ofMillis(501));
        d.tick();
        d.tick();
        assertThat(pauses).containsExactly(501L);
    }

    @Test
    void pausedFollowerLeaderStandsDownThenIsConfirmed() {
        // Scenario: p0 (coordinator) and p1 lead one channel each; p1's clock jumps 1 s (as after
        // SIGSTOP/SIGCONT): above leaderAliveThreshold (500 ms), too short for failure detection to
        // exclude it (2 s timeout less a 400 ms heartbeat interval), so the cluster kept it.
        // Expected: p1's listener hears false at once, then true again once p0's next table confirms it.
        try (ElectionCluster cluster = new ElectionCluster()) {
            cluster.start("p0");
            cluster.start("p1");
            for (String p : List.of("p0", "p1")) {
                cluster.join(p, "a", true);
                cluster.join(p, "b", true);
            }
            cluster.awaitUntil("one leader each", 10,
                    () -> cluster.leaders("a").size() == 1 && cluster.leaders("b").size() == 1
                            && !cluster.leaders("a").equals(cluster.leaders("b")));
            String ch = cluster.member("p1").election.isLeader("a") ? "a" : "b";
            var p1 = cluster.member("p1");
            p1.clock.jump(Duration.ofSeconds(1));
            cluster.awaitUntil("p1 fenced then confirmed", 10,
                    () -> p1.recorder(ch).changes.size() >= 3 && p1.election.isLeader(ch));
            assertThat(p1.recorder(ch).changes).containsExactly(true, false, true);
        }
    }

    @Test
    void pausedCoordinatorLeaderStandsDownThenIsConfirmed() {
        // Scenario: a single peer (its own coordinator) leads; its clock jumps 10 s.
        // Expected: it stops at once and leads again after 4 x leaderAliveThreshold without a view change
        // (alone in its view, nobody can have replaced it: no merge to wait for).
        try (ElectionCluster cluster = new ElectionCluster()) {
            cluster.start("p0");
            cluster.join("p0", CH, true);
            cluster.awaitUntil("p0 leads", 10, () -> cluster.leaders(CH).equals(List.of("p0")));
            var p0 = cluster.member("p0");
            p0.clock.jump(Duration.ofSeconds(10));
            cluster.awaitUntil("p0 stood down", 5, () -> p0.recorder(CH).changes.size() >= 2);
            cluster.awaitUntil("p0 confirmed", 10, () -> p0.election.isLeader(CH));
            assertThat(p0.recorder(CH).changes).containsExactly(true, false, true);
        }
    }

    @Test
    void resumedLeaderStaysFencedUntilMerged() throws Exception {
        // Scenario (issue 17): p0 is coordinator and leader of p0, p1, p2; it freezes (SIGSTOP: no
        // traffic, no failure detection of its own) for longer than failure detection; p1 and p2
        // exclude it and elect a new leader; p0 resumes: its clock jumped 10 s, its view is stale.
        // Expected: p0 stands down and its listener never hears true again, neither while the new
        // leader's view excludes it nor after the merge (the new leader's epoch is newer); once the
        // views merged, exactly the new leader leads and p0 names it.
        try (ElectionCluster cluster = new ElectionCluster()) {
            String next = freezeLeaderUntilReplaced(cluster);
            Member p0 = cluster.member("p0");
            p0.clock.jump(Duration.ofSeconds(10));
            cluster.awaitUntil("p0 noticed its pause", 10, () -> !p0.recorder(CH).lastSaid());
            int resumedAt = p0.recorder(CH).changes.size();
            cluster.thaw("p0");
            cluster.awaitUntil("views merged with " + next + " the only leader", 60,
                    () -> cluster.merged() && cluster.leaders(CH).equals(List.of(next)));
            cluster.awaitUntil("p0 names " + next, 10,
                    () -> p0.election.leaderOf(CH).equals(java.util.Optional.of(next)));
            assertThat(p0.recorder(CH).changes.subList(resumedAt, p0.recorder(CH).changes.size()))
                    .as("p0's leadership changes after the resume\n" + cluster.dump()).doesNotContain(true);
            assertThat(cluster.member(next).recorder(CH).lastSaid()).isTrue();
        }
    }

    @Test
    void resumedLeaderCutOffFromTheOthersLeadsAgainOnceTheMergeWindowIsOver() {
        // Scenario: as above, but when p0 resumes it still cannot reach p1 and p2 (a real partition).
        // Expected: p0 stays fenced while a merge could still come, then leads its side (availability
        // over uniqueness); after the heal one leader remains.
        try (ElectionCluster cluster = new ElectionCluster()) {
            freezeLeaderUntilReplaced(cluster);
            Member p0 = cluster.member("p0");
            List<Member> others = List.of(cluster.member("p1"), cluster.member("p2"));
            cluster.partition(List.of(List.of("p0"), List.of("p1", "p2")));
            long resumed = REAL_TIME.nanoTime();
            p0.clock.jump(Duration.ofSeconds(10));
            cluster.awaitUntil("p0 noticed its pause", 10, () -> !p0.recorder(CH).lastSaid());
            cluster.thaw("p0");
            cluster.awaitUntil("p0 leads its side", 60, () -> p0.election.isLeader(CH));
            Duration fenced = Duration.ofNanos(REAL_TIME.nanoTime() - resumed);
            Duration window = PauseFence.Timing.of(p0.election.jgroupsChannel().getProtocolStack(),
                    ElectionCluster.testConfig("x").leaderElectionDuration()).mergeWindow();
            assertThat(fenced).as("p0 fenced for the merge window").isGreaterThanOrEqualTo(window);
            assertThat(ElectionCluster.leaders(CH, others)).hasSize(1);
            cluster.heal();
            cluster.awaitUntil("one leader after the heal", 60, () -> cluster.merged() && cluster.leaders(CH).size() == 1);
        }
    }

    @Test
    void aPauseLongEnoughForExclusionThatExcludedNobodyEndsWithoutWaitingForAMerge() {
        // Scenario: p0, p1, p2 on one channel; the leader's clock jumps 10 s, above the exclusion
        // threshold (2 s less 400 ms), but its JGroups stack kept running (as after a pause just
        // under the failure detection timeout): the others never excluded it. The merge window is
        // made a minute long (leaderElectionDuration 60 s) so that waiting for it cannot pass.
        // Expected: the others answer that they still count it in the same view; it leads again
        // after the coordinator's next table, with no view change, long before the merge window.
        ElectionConfig base = ElectionCluster.testConfig("check-election-");
        ElectionConfig longWindow = new ElectionConfig(base.startupGracePeriod(), base.membershipSampleInterval(),
                base.leaderAliveThreshold(), Duration.ofSeconds(60), base.yieldCooldown(), base.clusterPrefix(),
                base.jgroups());
        try (ElectionCluster cluster = new ElectionCluster(longWindow)) {
            for (String p : List.of("p0", "p1", "p2")) {
                cluster.start(p);
                cluster.join(p, CH, true);
            }
            cluster.awaitUntil("one leader", 10, () -> cluster.leaders(CH).size() == 1);
            Member leader = cluster.member(cluster.leaders(CH).get(0));
            org.jgroups.ViewId before = leader.election.jgroupsChannel().view().getViewId();
            leader.clock.jump(Duration.ofSeconds(10));
            // standing down and leading again can both happen between two polls: wait for the pair
            cluster.awaitUntil("the leader stood down and leads again", 30,
                    () -> leader.recorder(CH).changes.size() >= 3 && leader.election.isLeader(CH));
            assertThat(leader.election.jgroupsChannel().view().getViewId()).as("no view change, no merge").isEqualTo(before);
            assertThat(leader.recorder(CH).changes).containsExactly(true, false, true);
            assertThat(cluster.leaders(CH)).containsExactly(leader.name);
        }
    }

    /**
     * p0, p1, p2 on one channel; p0 (coordinator and leader) freezes; returns the member that leads
     * once p1 and p2 excluded p0.
     */
    private static String freezeLeaderUntilReplaced(ElectionCluster cluster) {
        for (String p : List.of("p0", "p1", "p2")) {
            cluster.start(p);
            cluster.join(p, CH, true);
        }
        cluster.awaitUntil("p0 leads", 10, () -> cluster.leaders(CH).equals(List.of("p0")));
        Member p0 = cluster.member("p0");
        cluster.freeze("p0");
        List<Member> others = List.of(cluster.member("p1"), cluster.member("p2"));
        cluster.awaitUntil("p1 or p2 leads without p0", 30, () -> ElectionCluster.leaders(CH, others).size() == 1
                && others.stream().noneMatch(m -> m.election.jgroupsChannel().view().containsMember(p0.address())));
        return ElectionCluster.leaders(CH, others).get(0);
    }

    @Test
    void fenceWaitsForAMergeOnlyAfterAPauseLongEnoughForExclusion() {
        // Scenario: the decision alone, with the timing of a stack (FD_ALL3 3 s / 1 s, MERGE3 1-3 s,
        // check 4 s, GMS merge_timeout 2 s) and leaderElectionDuration 500 ms.
        // Expected: exclusion possible from 2 s of pause; merge window 2 x (3 + 4) + 2 + 0.5 = 16.5 s;
        // a short pause is lifted by the next newer table; a long one only after a merge view, or after
        // its own merge window timer (not an earlier fence's).
        ProtocolStack stack = new ProtocolStack().addProtocols(new SHARED_LOOPBACK(),
                new MERGE3().setMinInterval(1000).setMaxInterval(3000).setCheckInterval(4000),
                new FD_ALL3().setTimeout(3000).setInterval(1000), new GMS().setMergeTimeout(2000));
        PauseFence.Timing timing = PauseFence.Timing.of(stack, Duration.ofMillis(500));
        assertThat(timing).isEqualTo(new PauseFence.Timing(Duration.ofSeconds(2), Duration.ofMillis(16_500)));
        PauseFence fence = new PauseFence(timing);

        assertThat(fence.fence(1999, 7, false)).as("a pause too short for exclusion").isFalse();
        assertThat(fence.liftedBy(7)).isFalse();
        assertThat(fence.liftedBy(8)).isTrue();
        assertThat(fence.fence(60_000, 8, true)).as("alone in its view").isFalse();
        assertThat(fence.liftedBy(9)).isTrue();

        assertThat(fence.fence(2000, 9, false)).isTrue();
        long first = fence.fences();
        assertThat(fence.liftedBy(10)).isFalse();
        fence.viewInstalled(false);
        assertThat(fence.liftedBy(11)).as("a view that is no merge").isFalse();
        fence.viewInstalled(true);
        assertThat(fence.liftedBy(11)).isTrue();

        assertThat(fence.fence(5000, 11, false)).isTrue();
        assertThat(fence.mergeWindowOver(first)).as("an earlier fence's timer").isFalse();
        assertThat(fence.liftedBy(12)).isFalse();
        assertThat(fence.mergeWindowOver(fence.fences())).isTrue();
        assertThat(fence.liftedBy(12)).isTrue();
    }

    @Test
    void withoutHeartbeatsOrMergeAPauseNeverWaitsForAMerge() {
        PauseFence.Timing noHeartbeats = PauseFence.Timing.of(
                new ProtocolStack().addProtocols(new SHARED_LOOPBACK(), new MERGE3(), new GMS()), Duration.ofMillis(500));
        assertThat(noHeartbeats.exclusion()).isNull();
        assertThat(new PauseFence(noHeartbeats).fence(60_000, 1, false)).isFalse();
        PauseFence.Timing noMerge = PauseFence.Timing.of(
                new ProtocolStack().addProtocols(new SHARED_LOOPBACK(), new FD_ALL3(), new GMS()), Duration.ofMillis(500));
        assertThat(noMerge.mergeWindow()).isZero();
        assertThat(new PauseFence(noMerge).fence(60_000, 1, false)).isFalse();
    }
}
