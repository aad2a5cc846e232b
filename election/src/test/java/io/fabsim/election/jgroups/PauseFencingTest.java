package io.fabsim.election.jgroups;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabsim.common.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A member that finds it was frozen stands down at once and leads again only when confirmed. */
class PauseFencingTest {

    private static final String CH = "mychannel";

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
        // Scenario: p0 (coordinator) and p1 lead one channel each; p1's clock jumps 10 s (as after
        // SIGSTOP/SIGCONT) while the cluster kept it.
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
            p1.clock.jump(Duration.ofSeconds(10));
            cluster.awaitUntil("p1 fenced then confirmed", 10,
                    () -> p1.recorder(ch).changes.size() >= 3 && p1.election.isLeader(ch));
            assertThat(p1.recorder(ch).changes).containsExactly(true, false, true);
        }
    }

    @Test
    void pausedCoordinatorLeaderStandsDownThenIsConfirmed() {
        // Scenario: a single peer (its own coordinator) leads; its clock jumps 10 s.
        // Expected: it stops at once and leads again after 4 x leaderAliveThreshold without a view change.
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
}
