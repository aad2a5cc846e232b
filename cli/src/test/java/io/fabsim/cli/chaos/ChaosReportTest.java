package io.fabsim.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario: a chaos report with two injected faults, one skipped, a violation and a split brain while
 * the view was unstable, written to a directory.
 * Expected: {@code report.json} and a self-contained {@code report.html} whose timeline has a lane
 * per node, a bar per injected fault (none for the skipped one), the violation as a red band named
 * by its kind and detail, the unstable split brain as an amber band, and a time axis with ticks.
 */
class ChaosReportTest {

    @TempDir
    Path dir;

    @Test
    void theHtmlTimelineMarksViolationsFaultsAndSplitBrain() throws Exception {
        ChaosPlan.Settings settings = new ChaosPlan.Settings(11, Duration.ofMinutes(2), Duration.ofMinutes(5),
                List.of(FaultKind.KILL, FaultKind.PAUSE), Duration.ofSeconds(3));
        ChaosReport report = new ChaosReport(settings, Duration.ofSeconds(5), List.of(), Instant.parse("2026-12-03T19:34:40Z"));
        report.addOutcomes(List.of(
                new Nemesis.Outcome(new Fault(0, 100, FaultKind.KILL, Fault.Target.node("peer0.org1", "Org1"), 2_000),
                        "peer0.org1", 22_046, 25_791, ""),
                new Nemesis.Outcome(new Fault(0, 900, FaultKind.PAUSE, Fault.Target.leader("ch1", "Org1"), 3_000),
                        "peer1.org1", 40_000, 43_000, ""),
                new Nemesis.Outcome(new Fault(0, 1_000, FaultKind.KILL, Fault.Target.leader("ch1", "Org1"), 1_000),
                        "", 50_000, 50_000, "no peer leads the channel")));
        report.addViolation(new Violation("two-streaming-peers", 0, 68_900, 69_169, "ch1", "Org1",
                List.of("peer0.org1", "peer2.org1"), 11, "[peer0.org1, peer2.org1] all streamed ch1 for 269 ms"));
        report.addEpisode(0, 11, new LeaderCheck.Episode("ch1", "Org1", 43_000, 44_500,
                java.util.Set.of("peer1.org1", "peer2.org1"), false));
        report.finish(Instant.parse("2026-12-03T19:36:40Z"), 120_000);
        report.write(dir);

        assertThat(dir.resolve("report.json")).exists();
        String html = Files.readString(dir.resolve("report.html"));
        assertThat(html).startsWith("<!DOCTYPE html>").doesNotContain("<script");
        assertThat(html).contains(">peer0.org1</text>", ">peer1.org1</text>", ">peer2.org1</text>");
        assertThat(html).contains("<title>kill of peer0.org1 at 22.0 s for 3745 ms</title>",
                "<title>pause of peer1.org1 at 40.0 s for 3000 ms</title>");
        assertThat(html).doesNotContain("at 50.0 s");
        assertThat(html).contains("fill=\"#d62728\" fill-opacity=\"0.35\"><title>two-streaming-peers: [peer0.org1, peer2.org1] "
                + "all streamed ch1 for 269 ms</title>");
        assertThat(html).contains("fill=\"#ffbf00\"", "split brain while unstable: Org1 ch1");
        assertThat(html).contains("text-anchor=\"middle\">30 s</text>", "text-anchor=\"middle\">60 s</text>");
        assertThat(html).contains("1 violation(s)");
    }
}
