package io.fabsim.election.jgroups;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Fabric's TestYield, TestYieldSinglePeer and TestYieldAllPeers, plus the cooldown's end. */
class ElectionYieldTest {

    private static final String CH = "mychannel";

    @Test
    void yieldingLeaderIsReplacedAndNotChosenAgain() {
        // Scenario: p0, p1, p2; p0 leads and yields; then yields again while not leader.
        // Expected: p0 is not leader when yield() returns and its listener hears false; another peer
        // leads; the second yield calls nothing; p0 is still not leader after the others re-announce (cooldown).
        try (ElectionCluster cluster = new ElectionCluster()) {
            for (String p : List.of("p0", "p1", "p2")) {
                cluster.start(p);
                cluster.join(p, CH, true);
            }
            cluster.awaitUntil("p0 leads", 10, () -> cluster.leaders(CH).equals(List.of("p0")));
            var p0 = cluster.member("p0");
            p0.election.yield(CH);
            assertThat(p0.election.isLeader(CH)).isFalse();
            cluster.awaitUntil("p0's listener hears false", 5, () -> p0.recorder(CH).changes.size() == 2);
            assertThat(p0.recorder(CH).changes).containsExactly(true, false);
            p0.election.yield(CH);
            cluster.awaitUntil("a leader other than p0", 10,
                    () -> cluster.leaders(CH).size() == 1 && !cluster.leaders(CH).contains("p0"));
            // a new member and a channel change make the coordinator plan again: p0 must stay out
            cluster.start("p3");
            cluster.join("p3", CH, true);
            cluster.awaitUntil("p3 knows the leader", 10, () -> cluster.member("p3").election.leaderOf(CH).isPresent());
            String leader = cluster.leaders(CH).get(0);
            cluster.stop(leader);
            cluster.awaitUntil("a new leader, not p0", 10,
                    () -> cluster.leaders(CH).size() == 1 && !cluster.leaders(CH).contains("p0"));
            assertThat(p0.recorder(CH).changes).containsExactly(true, false);
        }
    }

    @Test
    void singlePeerThatYieldsBecomesLeaderAgain() {
        // Scenario: one peer leads and yields.
        // Expected: it is not leader right after yield(), and is leader again soon (only eligible peer).
        try (ElectionCluster cluster = new ElectionCluster()) {
            cluster.start("p0");
            cluster.join("p0", CH, true);
            cluster.awaitUntil("p0 leads", 10, () -> cluster.leaders(CH).equals(List.of("p0")));
            cluster.member("p0").election.yield(CH);
            assertThat(cluster.member("p0").election.isLeader(CH)).isFalse();
            cluster.awaitUntil("p0 leads again", 10, () -> cluster.leaders(CH).equals(List.of("p0")));
            assertThat(cluster.member("p0").recorder(CH).changes).containsExactly(true, false, true);
        }
    }

    @Test
    void allPeersYieldInTurn() {
        // Scenario: p0 and p1; p0 leads and yields; p1 leads and yields.
        // Expected: p1 leads after p0's yield, p0 after p1's (both cooling down: the earlier yielder).
        try (ElectionCluster cluster = new ElectionCluster()) {
            cluster.start("p0");
            cluster.join("p0", CH, true);
            cluster.start("p1");
            cluster.join("p1", CH, true);
            cluster.awaitUntil("p0 leads", 10, () -> cluster.leaders(CH).equals(List.of("p0")));
            cluster.member("p0").election.yield(CH);
            cluster.awaitUntil("p1 leads", 10, () -> cluster.leaders(CH).equals(List.of("p1")));
            cluster.member("p1").election.yield(CH);
            cluster.awaitUntil("p0 leads again", 10, () -> cluster.leaders(CH).equals(List.of("p0")));
        }
    }

    @Test
    void repeatedYieldsKeepExactlyOneLeader() {
        // Scenario: three peers; whoever leads yields, five times in a row.
        // Expected: after each yield exactly one leader, never the one that just yielded.
        try (ElectionCluster cluster = new ElectionCluster()) {
            for (String p : List.of("p0", "p1", "p2")) {
                cluster.start(p);
                cluster.join(p, CH, true);
            }
            cluster.awaitUntil("one leader", 10, () -> cluster.leaders(CH).size() == 1);
            for (int i = 0; i < 5; i++) {
                String yielder = cluster.leaders(CH).get(0);
                cluster.member(yielder).election.yield(CH);
                cluster.awaitUntil("a leader after " + yielder + " yielded", 10,
                        () -> cluster.leaders(CH).size() == 1 && !cluster.leaders(CH).contains(yielder));
            }
        }
    }

    @Test
    void yielderMayLeadAgainAfterTheCooldown() {
        // Scenario: p0 (coordinator), p1, p2; p0 yields and X of p1/p2 takes over; p0's clock moves
        // past the 30 s cooldown; X stops.
        // Expected: p0 and the other are both eligible with no leaderships; p0 is chosen (name order),
        // which it could not be while cooling down.
        try (ElectionCluster cluster = new ElectionCluster()) {
            for (String p : List.of("p0", "p1", "p2")) {
                cluster.start(p);
                cluster.join(p, CH, true);
            }
            cluster.awaitUntil("p0 leads", 10, () -> cluster.leaders(CH).equals(List.of("p0")));
            cluster.member("p0").election.yield(CH);
            cluster.awaitUntil("p1 or p2 leads", 10,
                    () -> cluster.leaders(CH).size() == 1 && !cluster.leaders(CH).contains("p0"));
            String x = cluster.leaders(CH).get(0);
            cluster.member("p0").clock.advance(Duration.ofSeconds(31));
            cluster.stop(x);
            cluster.awaitUntil("p0 leads again", 10, () -> cluster.leaders(CH).equals(List.of("p0")));
        }
    }
}
