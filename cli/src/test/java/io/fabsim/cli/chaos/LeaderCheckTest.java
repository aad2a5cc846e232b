package io.fabsim.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabsim.cli.network.StatusTable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeaderCheckTest {

    private static final long WINDOW = 5_000;

    /** A sample of ch1 where {@code streaming} peers of Org1 stream and the others of {@code up} are followers. */
    private static StatusTable sample(List<String> up, List<String> streaming) {
        List<StatusTable.Row> rows = new ArrayList<>();
        for (String p : List.of("p0", "p1", "p2")) {
            boolean answers = up.contains(p);
            boolean streams = answers && streaming.contains(p);
            rows.add(new StatusTable.Row(p, "Org1", "peer", answers, answers ? 10 : -1, "aa", "election", streams, streams, "",
                    streams ? "127.0.0.1:7050" : ""));
        }
        StatusTable table = new StatusTable();
        table.channels().put("ch1", rows);
        return table;
    }

    @Test
    void twoStreamingPeersInAStableViewAreOneEpisodeFromFirstToLastSample() {
        LeaderCheck check = new LeaderCheck(WINDOW);
        List<String> all = List.of("p0", "p1", "p2");
        check.observe(10_000, sample(all, List.of("p0")));
        check.observe(10_250, sample(all, List.of("p0", "p1")));
        check.observe(10_500, sample(all, List.of("p0", "p1")));
        check.observe(10_750, sample(all, List.of("p1")));
        List<LeaderCheck.Episode> episodes = check.finish();
        assertThat(episodes).singleElement().satisfies(e -> {
            assertThat(e.stable()).isTrue();
            assertThat(e.startMillis()).isEqualTo(10_250);
            assertThat(e.millis()).isEqualTo(250);
            assertThat(e.peers()).containsExactly("p0", "p1");
        });
    }

    @Test
    void whilePeersReportDifferentElectionViewsAndForTheWindowAfterTheyAgreeTwoStreamersAreOnlyMeasured() {
        // Scenario (chaos seed 7): no fault for longer than the window, but p2 is alone in its JGroups view
        // while p0 and p1 share another (a merge still under way); p1 and p2 both stream.
        // Expected: unstable while the views differ and for the window after they agree; then stable.
        LeaderCheck check = new LeaderCheck(WINDOW);
        List<String> all = List.of("p0", "p1", "p2");
        StatusTable split = sample(all, List.of("p1", "p2"));
        split.electionViews().put("p0", "[p1|4] [p0, p1]");
        split.electionViews().put("p1", "[p1|4] [p0, p1]");
        split.electionViews().put("p2", "[p2|4] [p2]");
        check.observe(20_000, split);
        assertThat(check.stable("Org1", 20_000)).isFalse();
        StatusTable merged = sample(all, List.of("p1", "p2"));
        all.forEach(p -> merged.electionViews().put(p, "[p1|5] [p0, p1, p2]"));
        check.observe(21_000, merged);
        assertThat(check.stable("Org1", 24_999)).as("within the window of the last sample that saw them differ").isFalse();
        check.observe(25_000, merged);
        assertThat(check.stable("Org1", 25_000)).isTrue();
        assertThat(check.finish()).extracting(LeaderCheck.Episode::stable).containsExactlyInAnyOrder(false, true);
    }

    @Test
    void whileAFaultHitsTheOrgAndForTheWindowAfterItEndsTwoStreamersAreOnlyMeasured() {
        LeaderCheck check = new LeaderCheck(WINDOW);
        List<String> all = List.of("p0", "p1", "p2");
        check.observe(0, sample(all, List.of("p0")));
        check.faultStarted("Org1", 1_000);
        check.observe(2_000, sample(all, List.of("p0", "p1")));
        check.faultEnded("Org1", 3_000);
        check.observe(7_999, sample(all, List.of("p0", "p1")));
        assertThat(check.stable("Org1", 7_999)).isFalse();
        check.observe(8_000, sample(all, List.of("p0", "p1")));
        assertThat(check.stable("Org1", 8_000)).isTrue();
        List<LeaderCheck.Episode> episodes = check.finish();
        assertThat(episodes).extracting(LeaderCheck.Episode::stable).containsExactlyInAnyOrder(false, true);
        assertThat(episodes).filteredOn(e -> !e.stable()).singleElement()
                .satisfies(e -> assertThat(e.millis()).isEqualTo(5_999));
    }

    @Test
    void aPeerThatStartsOrStopsAnsweringDisturbsTheViewForTheWindow() {
        LeaderCheck check = new LeaderCheck(WINDOW);
        check.observe(10_000, sample(List.of("p0", "p1"), List.of("p0")));
        check.observe(20_000, sample(List.of("p0", "p1", "p2"), List.of("p0", "p2")));
        check.observe(24_000, sample(List.of("p0", "p1", "p2"), List.of("p0", "p2")));
        assertThat(check.finish()).singleElement().satisfies(e -> assertThat(e.stable()).isFalse());
        LeaderCheck fresh = new LeaderCheck(WINDOW);
        fresh.disturbed("Org1", 0);
        assertThat(fresh.stable("Org1", 4_999)).isFalse();
        assertThat(fresh.stable("Org1", 5_000)).isTrue();
    }

    @Test
    void aSlowSampleObservedAfterAFaultEndedDoesNotMoveTheDisturbanceBackInTime() {
        LeaderCheck check = new LeaderCheck(WINDOW);
        List<String> all = List.of("p0", "p1", "p2");
        check.observe(0, sample(all, List.of("p0")));
        check.faultStarted("Org1", 1_000);
        check.faultEnded("Org1", 6_000);
        // this sample started reading at 2,000 (a partitioned peer answered only after its timeout)
        check.observe(2_000, sample(List.of("p1", "p2"), List.of("p1")));
        check.observe(7_000, sample(all, List.of("p0", "p1")));
        assertThat(check.stable("Org1", 10_999)).isFalse();
        assertThat(check.finish()).singleElement().satisfies(e -> assertThat(e.stable()).isFalse());
    }
}
