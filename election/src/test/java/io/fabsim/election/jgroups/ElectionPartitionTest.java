package io.fabsim.election.jgroups;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabsim.election.jgroups.ElectionCluster.Member;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Partitions, merges and the fencing of a stale leader (Fabric's TestPartition and more). */
class ElectionPartitionTest {

    private static final String CH = "mychannel";

    @Test
    void partitionIntoSingletonsThenHealLeavesOneLeader() {
        // Scenario: four peers with one leader; the network splits into four singletons; then heals.
        // Expected: during the split every peer leads (each side elects its own); after the heal
        // exactly one leader remains, all name it, and every other peer's listener last heard false.
        try (ElectionCluster cluster = new ElectionCluster()) {
            List<String> names = List.of("p0", "p1", "p2", "p3");
            for (String p : names) {
                cluster.start(p);
                cluster.join(p, CH, true);
            }
            cluster.awaitUntil("one leader", 10, () -> cluster.leaders(CH).size() == 1);
            List<List<String>> singletons = new ArrayList<>();
            names.forEach(n -> singletons.add(List.of(n)));
            cluster.partition(singletons);
            cluster.awaitUntil("every singleton leads", 20, () -> cluster.leaders(CH).size() == 4);
            cluster.heal();
            cluster.awaitUntil("one leader after the heal, named by all", 30, () -> {
                List<String> leaders = cluster.leaders(CH);
                return leaders.size() == 1 && cluster.live().stream().allMatch(m ->
                        m.election.leaderOf(CH).equals(java.util.Optional.of(leaders.get(0)))
                                && m.election.jgroupsChannel().view().size() == 4);
            });
            String leader = cluster.leaders(CH).get(0);
            for (Member m : cluster.live()) {
                assertThat(m.recorder(CH).lastSaid()).as(m.name).isEqualTo(m.name.equals(leader));
            }
        }
    }

    @Test
    void staleLeaderIsFencedAfterResume() {
        // Scenario: p0 (leader and coordinator), p1, p2; p0 hangs (all its traffic dropped); p1 and
        // p2 elect a new leader; p0 resumes and the partition heals.
        // Expected: the new leader keeps the channel (its epoch is newer), p0 stands down and its
        // listener's last word is false.
        try (ElectionCluster cluster = new ElectionCluster()) {
            for (String p : List.of("p0", "p1", "p2")) {
                cluster.start(p);
                cluster.join(p, CH, true);
            }
            cluster.awaitUntil("p0 leads", 10, () -> cluster.leaders(CH).equals(List.of("p0")));
            cluster.hang("p0");
            List<Member> others = List.of(cluster.member("p1"), cluster.member("p2"));
            cluster.awaitUntil("p1 or p2 leads", 20, () -> ElectionCluster.leaders(CH, others).size() == 1);
            String next = ElectionCluster.leaders(CH, others).get(0);
            cluster.resume("p0");
            cluster.awaitUntil("p0 stands down, " + next + " leads", 30, () ->
                    cluster.leaders(CH).equals(List.of(next))
                            && cluster.member("p0").election.jgroupsChannel().view().size() == 3);
            Member p0 = cluster.member("p0");
            assertThat(p0.recorder(CH).lastSaid()).isFalse();
            cluster.awaitUntil("p0 names " + next, 10,
                    () -> p0.election.leaderOf(CH).equals(java.util.Optional.of(next)));
        }
    }

    @Test
    void twoSidedPartitionHasALeaderPerSide() {
        // Scenario: p0..p3 split into {p0,p1} and {p2,p3}.
        // Expected: exactly one leader on each side; after the heal exactly one overall.
        try (ElectionCluster cluster = new ElectionCluster()) {
            for (String p : List.of("p0", "p1", "p2", "p3")) {
                cluster.start(p);
                cluster.join(p, CH, true);
            }
            cluster.awaitUntil("one leader", 10, () -> cluster.leaders(CH).size() == 1);
            cluster.partition(List.of(List.of("p0", "p1"), List.of("p2", "p3")));
            List<Member> left = List.of(cluster.member("p0"), cluster.member("p1"));
            List<Member> right = List.of(cluster.member("p2"), cluster.member("p3"));
            cluster.awaitUntil("one leader per side", 20, () ->
                    ElectionCluster.leaders(CH, left).size() == 1 && ElectionCluster.leaders(CH, right).size() == 1);
            cluster.heal();
            cluster.awaitUntil("one leader after the heal", 30, () -> cluster.leaders(CH).size() == 1
                    && cluster.live().stream().allMatch(m -> m.election.jgroupsChannel().view().size() == 4));
        }
    }
}
