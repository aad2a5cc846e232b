package io.fabsim.cli.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabsim.cli.network.LiveView;
import io.fabsim.cli.network.StatusTable;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ReportAndInvariantsTest {

    private static StatusTable table(StatusTable.Row... rows) {
        StatusTable table = new StatusTable();
        table.channels().put("ch1", new ArrayList<>(List.of(rows)));
        return table;
    }

    private static StatusTable.Row row(String node, String role, boolean up, long height, String hash, boolean delivering) {
        return new StatusTable.Row(node, "orderer".equals(role) ? "OrdererOrg" : "Org1", role, up, height, hash, "election",
                delivering, delivering, "", delivering ? "127.0.0.1:7050" : "");
    }

    @Test
    void divergenceNamesTheNodeThatDiffersAndIgnoresNodesThatAreDown() {
        StatusTable same = table(row("orderer0", "orderer", true, 10, "aa", false), row("p0", "peer", true, 10, "aa", true),
                row("p1", "peer", false, -1, "", false));
        assertThat(Invariants.divergence(same, "orderer0")).isEmpty();
        StatusTable behind = table(row("orderer0", "orderer", true, 10, "aa", false), row("p0", "peer", true, 9, "bb", true));
        assertThat(Invariants.divergence(behind, "orderer0")).contains("p0 at height 9").contains("orderer0 at 10");
        StatusTable forked = table(row("orderer0", "orderer", true, 10, "aa", false), row("p0", "peer", true, 10, "cc", true));
        assertThat(Invariants.divergence(forked, "orderer0")).contains("p0 at height 10 hash cc");
    }

    @Test
    void deliverersAreThePeersOfTheOrgThatAreUpAndDelivering() {
        StatusTable t = table(row("orderer0", "orderer", true, 10, "aa", true), row("p0", "peer", true, 10, "aa", true),
                row("p1", "peer", false, -1, "", true), row("p2", "peer", true, 10, "aa", false));
        assertThat(ScenarioContext.deliverers(t, "ch1", "Org1")).containsExactly("p0");
    }

    @Test
    void theTimelineHasALeadershipLanePerPeerAnAxisAndBreaksHeightLinesWhileANodeIsDown() {
        String html = HtmlReport.render(List.of(killScenario()));
        assertThat(html).contains("<title>peer0.org1 delivering</title>").contains("<title>peer1.org1 reports leader</title>")
                .doesNotContain("orderer0 delivering").contains(">Org1</text>");
        assertThat(count(html, "<title>peer0.org1</title></polyline>")).as("peer0's line has a gap while it was down").isEqualTo(2);
        assertThat(count(html, "<title>peer1.org1</title></polyline>")).isEqualTo(1);
        assertThat(html).contains("kill peer0.org1");
        // 1 s to 5 s over 900 pixels: a tick every 500 ms leaves 112 pixels per label
        assertThat(html).contains(">1.0 s</text>").contains(">1.5 s</text>").contains(">5.0 s</text>")
                .doesNotContain(">1.2 s</text>");
        assertThat(html).contains("kill: 0.40 s").contains("2+ deliverers: 500 ms");
    }

    @Test
    void twoDeliverersIsADurationPerOrgAndChannel() {
        // peer0 delivers until 2.0 s (down from 2.0 to 3.0 s); peer1 from 1.5 s: both at 1.5 s, for one round of 500 ms
        assertThat(Invariants.twoDeliverersMillis(killScenario().samples())).containsExactly(java.util.Map.entry("Org1/ch1", 500L));
        // two sample rounds stamped in the same millisecond, one deliverer each: no overlap
        List<Timeline.Sample> twice = List.of(
                new Timeline.Sample(1000, "ch1", "peer1.org1", "Org1", true, 10, true, true, true),
                new Timeline.Sample(1000, "ch1", "peer1.org1", "Org1", true, 10, true, true, true),
                new Timeline.Sample(1500, "ch1", "peer1.org1", "Org1", true, 11, true, true, true));
        assertThat(Invariants.twoDeliverersMillis(twice)).containsExactly(java.util.Map.entry("Org1/ch1", 0L));
    }

    @Test
    void faultLabelsAtTheSameTimeGoToDifferentRowsAndTicksAreRound() {
        List<Double> xs = List.of(300.0, 300.0, 302.0, 600.0, 1190.0);
        List<String> labels = List.of("pause peer0.org1", "failover peer1.org1", "resume peer0.org1", "check all",
                "converged all");
        List<Integer> rows = TimelineSvg.labelRows(xs, labels);
        assertThat(rows).containsExactly(0, 1, 2, 0, 0);
        for (int i = 0; i < xs.size(); i++) {
            for (int j = i + 1; j < xs.size(); j++) {
                double[] a = TimelineSvg.labelSpan(xs.get(i), labels.get(i));
                double[] b = TimelineSvg.labelSpan(xs.get(j), labels.get(j));
                assertThat(rows.get(i).equals(rows.get(j)) && a[0] < b[1] && b[0] < a[1]).as(labels.get(i) + " / " + labels.get(j))
                        .isFalse();
            }
        }
        assertThat(TimelineSvg.labelSpan(1190.0, "converged all")[1]).as("drawn leftwards at the right edge")
                .isLessThanOrEqualTo(TimelineSvg.WIDTH);
        assertThat(TimelineSvg.tickStep(60_000, 1000)).isEqualTo(5_000);
        assertThat(TimelineSvg.tickStep(3_600_000, 1000)).isEqualTo(300_000);
        assertThat(TimelineSvg.tickLabel(90_000, 30_000)).isEqualTo("90 s");
        assertThat(TimelineSvg.tickLabel(900_000, 300_000)).isEqualTo("15:00");
    }

    @Test
    void failoversAreShownPerFaultKindWithTheirRange() {
        assertThat(HtmlReport.failovers(List.of(new Timeline.Failover("kill", "p0", "p1", 210),
                new Timeline.Failover("pause", "p1", "p2", 3620), new Timeline.Failover("kill", "p1", "p0", 350))))
                .isEqualTo("kill: 0.21 s &ndash; 0.35 s (2)<br>pause: 3.62 s");
        assertThat(HtmlReport.failovers(List.of())).isEqualTo("&mdash;");
    }

    private static ScenarioResult killScenario() {
        List<Timeline.Sample> samples = new ArrayList<>();
        for (long t = 1000; t <= 5000; t += 500) {
            boolean down = t >= 2000 && t <= 3000;
            samples.add(new Timeline.Sample(t, "ch1", "orderer0", "OrdererOrg", false, t / 100, false, false, false));
            samples.add(new Timeline.Sample(t, "ch1", "peer0.org1", "Org1", true, down ? -1 : t / 100, !down && t < 2000,
                    !down && t < 2000, !down && t < 2000));
            samples.add(new Timeline.Sample(t, "ch1", "peer1.org1", "Org1", true, t / 100, t >= 1500, t >= 1500, t >= 1500));
        }
        return new ScenarioResult("leader-kill", "d", true, "", 5000,
                List.of(new Timeline.Event(2000, "kill", "peer0.org1", "SIGKILL")),
                List.of(new Timeline.Failover("kill", "peer0.org1", "peer1.org1", 400)), 50, samples);
    }

    @Test
    void theLiveViewMarksLeadersDeliverersAndDownNodes() {
        StatusTable t = table(row("orderer0", "orderer", true, 12, "aa", false), row("p0", "peer", false, -1, "", false),
                row("p1", "peer", true, 12, "aa", true));
        String view = LiveView.render(t, "title", List.of("a note"));
        assertThat(view).contains("title").contains("(orderer)").contains("down").contains("> 12 *").contains("a note");
    }

    private static int count(String s, String needle) {
        return s.split(Pattern.quote(needle), -1).length - 1;
    }
}
