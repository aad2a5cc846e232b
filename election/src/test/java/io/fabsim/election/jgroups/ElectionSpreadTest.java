package io.fabsim.election.jgroups;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabsim.election.jgroups.ElectionCluster.Member;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Spread of leaderships over peers, and stickiness when peers join or followers leave. */
class ElectionSpreadTest {

    @Test
    void twoChannelsGetDifferentLeaders() {
        // Scenario: p0 and p1 start together and both join ch1 and ch2.
        // Expected: each channel has one leader, and they are different peers.
        try (ElectionCluster cluster = new ElectionCluster()) {
            for (String p : List.of("p0", "p1")) {
                cluster.start(p);
            }
            for (String p : List.of("p0", "p1")) {
                cluster.join(p, "ch1", true);
                cluster.join(p, "ch2", true);
            }
            cluster.awaitUntil("one leader each", 10,
                    () -> cluster.leaders("ch1").size() == 1 && cluster.leaders("ch2").size() == 1);
            assertThat(cluster.leaders("ch1")).doesNotContainAnyElementsOf(cluster.leaders("ch2"));
        }
    }

    @Test
    void channelsAreSpreadEvenlyAfterStartUpAndFailover() {
        // Scenario: 3 peers start together and join 7 channels; then one leader stops.
        // Expected: no peer leads more than ceil(7/3) = 3 after start-up; after the stop every channel
        // has one leader again and no survivor leads more than ceil(7/2) = 4.
        try (ElectionCluster cluster = new ElectionCluster()) {
            List<String> names = List.of("p0", "p1", "p2");
            names.forEach(cluster::start);
            List<String> channels = new ArrayList<>();
            for (int c = 0; c < 7; c++) {
                channels.add("ch" + c);
            }
            for (String p : names) {
                channels.forEach(ch -> cluster.join(p, ch, true));
            }
            cluster.awaitUntil("one leader per channel", 10,
                    () -> channels.stream().allMatch(ch -> cluster.leaders(ch).size() == 1));
            assertThat(load(cluster, channels).values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(3));
            cluster.stop("p1");
            cluster.awaitUntil("one leader per channel after p1 stopped", 10,
                    () -> channels.stream().allMatch(ch -> cluster.leaders(ch).size() == 1));
            assertThat(load(cluster, channels).values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(4));
        }
    }

    @Test
    void joiningPeerAndLeavingFollowerMoveNothing() {
        // Scenario: p0, p1, p2 lead 3 channels; p3 starts and joins them all; then a peer that leads
        // nothing (p3) stops.
        // Expected: the leader of every channel is unchanged throughout; no listener heard false.
        try (ElectionCluster cluster = new ElectionCluster()) {
            List<String> names = List.of("p0", "p1", "p2");
            names.forEach(cluster::start);
            List<String> channels = List.of("a", "b", "c");
            for (String p : names) {
                channels.forEach(ch -> cluster.join(p, ch, true));
            }
            cluster.awaitUntil("one leader per channel", 10,
                    () -> channels.stream().allMatch(ch -> cluster.leaders(ch).size() == 1));
            Map<String, String> before = leaderByChannel(cluster, channels);
            cluster.start("p3");
            channels.forEach(ch -> cluster.join("p3", ch, true));
            cluster.awaitUntil("p3 knows every leader", 10,
                    () -> channels.stream().allMatch(ch -> cluster.member("p3").election.leaderOf(ch).isPresent()));
            assertThat(leaderByChannel(cluster, channels)).isEqualTo(before);
            assertThat(cluster.member("p3").recorders.values()).allSatisfy(r -> assertThat(r.changes).isEmpty());
            cluster.stop("p3");
            cluster.awaitUntil("p0 sees p3 gone", 10, () -> cluster.member("p0").election.members().size() == 3);
            assertThat(leaderByChannel(cluster, channels)).isEqualTo(before);
            for (Member m : cluster.live()) {
                m.recorders.values().forEach(r -> assertThat(r.changes).doesNotContain(false));
            }
        }
    }

    private static Map<String, Integer> load(ElectionCluster cluster, List<String> channels) {
        Map<String, Integer> load = new HashMap<>();
        for (String ch : channels) {
            cluster.leaders(ch).forEach(p -> load.merge(p, 1, Integer::sum));
        }
        return load;
    }

    private static Map<String, String> leaderByChannel(ElectionCluster cluster, List<String> channels) {
        Map<String, String> result = new HashMap<>();
        for (String ch : channels) {
            result.put(ch, String.join(",", cluster.leaders(ch)));
        }
        return result;
    }
}
