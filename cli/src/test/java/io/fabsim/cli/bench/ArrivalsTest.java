package io.fabsim.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ArrivalsTest {

    private static final Map<String, Map<Long, Long>> ARRIVALS = Map.of(
            "p1", Map.of(10L, 100L, 11L, 200L, 12L, 900L, 13L, 950L),
            "p2", Map.of(10L, 110L, 11L, 210L, 13L, 700L),
            "p3", Map.of(10L, 120L, 12L, 800L, 13L, 990L));

    @Test
    void lastBeforeIsTheHighestBlockAnyNodeHadAtThatTime() {
        assertThat(Arrivals.lastBefore(ARRIVALS, List.of("p1", "p2", "p3"), 205)).isEqualTo(11);
        assertThat(Arrivals.lastBefore(ARRIVALS, List.of("p3"), 205)).isEqualTo(10);
        assertThat(Arrivals.lastBefore(ARRIVALS, List.of("p1"), 50)).isEqualTo(-1);
    }

    @Test
    void firstBlockAboveCommittedEverywhereSkipsBlocksSomeNodeLacksAndTakesTheLatestArrival() {
        // 11 lacks p3 and 12 lacks p2: 13 is the first everywhere, complete when p3 got it at 990.
        assertThat(Arrivals.firstEverywhereAfter(ARRIVALS, List.of("p1", "p2", "p3"), 10))
                .contains(new Arrivals.Commit(13, 990));
        assertThat(Arrivals.firstEverywhereAfter(ARRIVALS, List.of("p1", "p3"), 10))
                .contains(new Arrivals.Commit(12, 900));
        assertThat(Arrivals.firstEverywhereAfter(ARRIVALS, List.of("p1", "p2", "p3"), 13)).isEmpty();
        assertThat(Arrivals.firstEverywhereAfter(ARRIVALS, List.of(), 0)).isEmpty();
        assertThat(Arrivals.firstEverywhereAfter(ARRIVALS, List.of("p1", "nobody"), 0)).isEmpty();
    }

    @Test
    void everywhereSinceCountsNodesWhoseStreamBeganAboveTheBlockAsHavingIt() {
        // p2 never served 12 but served 13 (it had 12 before); p3 served 12 at 800; p1 at 900
        assertThat(Arrivals.everywhereSince(ARRIVALS, List.of("p1", "p2", "p3"), 12, 500)).contains(900L);
        assertThat(Arrivals.everywhereSince(ARRIVALS, List.of("p2", "p3"), 12, 500)).contains(800L);
        // nobody served it after the start time: it was everywhere from the start
        assertThat(Arrivals.everywhereSince(ARRIVALS, List.of("p2", "p3"), 12, 850)).contains(850L);
        // p2 has nothing above 14: still lacks it
        assertThat(Arrivals.everywhereSince(ARRIVALS, List.of("p1", "p2"), 14, 0)).isEmpty();
        assertThat(Arrivals.everywhereSince(ARRIVALS, List.of(), 12, 0)).isEmpty();
    }

    @Test
    void latencyToTheLastPeerPerBlockInBlockOrderAndMissingBlocksCounted() {
        Map<Long, Long> orderer = new TreeMap<>(Map.of(13L, 600L, 10L, 90L, 11L, 190L));
        assertThat(Arrivals.latenciesToLast(orderer, ARRIVALS, List.of("p1", "p2", "p3"))).containsExactly(30L, 390L);
        assertThat(Arrivals.missing(orderer, ARRIVALS, List.of("p1", "p2", "p3"))).isEqualTo(1);
        assertThat(Arrivals.missing(orderer, ARRIVALS, List.of("p1", "p2"))).isZero();
    }

    @Test
    void recorderKeepsTheFirstArrivalOfABlock() {
        Arrivals a = new Arrivals();
        a.record("p1", 5, 100);
        a.record("p1", 5, 300);
        a.record("p1", 6, 400);
        assertThat(a.of("p1")).containsExactly(Map.entry(5L, 100L), Map.entry(6L, 400L));
        assertThat(a.of("p2")).isEmpty();
    }
}
