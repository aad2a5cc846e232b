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
    void theTimelineShowsOneLanePerPeerOrgAndBreaksHeightLinesWhileANodeIsDown() {
        List<Timeline.Sample> samples = new ArrayList<>();
        for (long t = 1000; t <= 5000; t += 500) {
            boolean down = t >= 2000 && t <= 3000;
            samples.add(new Timeline.Sample(t, "ch1", "orderer0", "OrdererOrg", false, t / 100, false, false));
            samples.add(new Timeline.Sample(t, "ch1", "peer0.org1", "Org1", true, down ? -1 : t / 100, !down, !down && t < 2000));
            samples.add(new Timeline.Sample(t, "ch1", "peer1.org1", "Org1", true, t / 100, t >= 2000, t >= 2000));
        }
        ScenarioResult result = new ScenarioResult("leader-kill", "d", true, "", 5000,
                List.of(new Timeline.Event(2000, "kill", "peer0.org1", "SIGKILL")), List.of(400L), 50, samples);
        String html = HtmlReport.render(List.of(result));
        assertThat(html).contains("delivering Org1").doesNotContain("delivering OrdererOrg");
        assertThat(count(html, "<title>peer0.org1</title></polyline>")).as("peer0's line has a gap while it was down").isEqualTo(2);
        assertThat(count(html, "<title>peer1.org1</title></polyline>")).isEqualTo(1);
        assertThat(html).contains("kill peer0.org1").contains("1.0 s").contains("5.0 s");
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
