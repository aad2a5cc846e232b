package io.fabsim.cli.scenario;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabsim.cli.network.NetworkBuilder;
import io.fabsim.cli.network.NetworkControl;
import io.fabsim.cli.network.NetworkState;
import io.fabsim.common.time.Clock;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs scenarios one after the other, each on its own network in {@code reportDir/<name>/}: up,
 * faults under load, invariants, down, offline ledger verification. Writes {@code report.json} and
 * {@code report.html} into {@code reportDir}. The network is always torn down, pass or fail.
 */
public final class ScenarioRunner {

    /** Bound for every live peer to converge with the orderer after the faults end. */
    static final Duration CONVERGE_BOUND = Duration.ofSeconds(60);
    static final Duration SAMPLE_INTERVAL = Duration.ofMillis(250);

    private final Clock clock;
    private final PrintWriter out;

    public ScenarioRunner(Clock clock, PrintWriter out) {
        this.clock = clock;
        this.out = out;
    }

    public List<ScenarioResult> run(List<Scenario> scenarios, int repeat, Path reportDir) throws IOException {
        Files.createDirectories(reportDir);
        List<ScenarioResult> results = new ArrayList<>();
        for (Scenario scenario : scenarios) {
            out.printf("scenario %s: %s%n", scenario.name(), scenario.description());
            ScenarioResult result = runOne(scenario, repeat, reportDir.resolve(scenario.name()));
            results.add(result);
            out.printf("scenario %s: %s%s (%.1f s)%n", scenario.name(), result.passed() ? "PASS" : "FAIL",
                    result.message().isEmpty() ? "" : ": " + result.message(), result.durationMillis() / 1000.0);
            writeReports(results, reportDir);
        }
        return results;
    }

    ScenarioResult runOne(Scenario scenario, int repeat, Path dir) throws IOException {
        long start = clock.nanoTime();
        Timeline timeline = new Timeline();
        if (scenario.skipReason().isPresent()) {
            String reason = "skipped: " + scenario.skipReason().get();
            return new ScenarioResult(scenario.name(), scenario.description(), true, reason, 0, List.of(), List.of(), 0, List.of());
        }
        String message = "";
        boolean passed;
        long blocks = 0;
        List<Timeline.Failover> failovers = List.of();
        NetworkState state = null;
        NetworkControl control = new NetworkControl(dir, clock);
        try {
            clearEarlierRun(dir, control);
            state = new NetworkBuilder(clock, out).up(scenario.network(), dir,
                    new NetworkBuilder.Options(Scenarios.RECONNECT_TOTAL));
            try (Sampler sampler = new Sampler(dir, clock, start, SAMPLE_INTERVAL, timeline)) {
                ScenarioContext ctx = new ScenarioContext(dir, scenario.network(), sampler, timeline, clock, start);
                scenario.run(ctx, repeat);
                ctx.event("check", "all", "faults over: convergence");
                blocks = Invariants.awaitConvergence(ctx, CONVERGE_BOUND);
                Invariants.checkOneDelivererPerOrg(ctx, CONVERGE_BOUND);
                failovers = ctx.failovers();
            }
            passed = true;
        } catch (ScenarioFailure e) {
            passed = false;
            message = e.getMessage();
        } catch (Exception e) {
            passed = false;
            message = e.getClass().getSimpleName() + ": " + e.getMessage();
        } finally {
            try {
                if (Files.exists(NetworkState.file(dir))) {
                    control.down();
                }
            } catch (Exception e) {
                out.println("scenario " + scenario.name() + ": teardown: " + e.getMessage());
            }
        }
        if (passed && state != null) {
            try {
                blocks = Math.max(blocks, Invariants.verifyLedgers(state));
            } catch (ScenarioFailure e) {
                passed = false;
                message = e.getMessage();
            }
        }
        long duration = (clock.nanoTime() - start) / 1_000_000;
        return new ScenarioResult(scenario.name(), scenario.description(), passed, message, duration,
                timeline.events(), failovers, blocks, timeline.samples());
    }

    /**
     * The scenario's directory is the runner's own: what an earlier run left there (its ledgers, its
     * crypto material, processes of a run that was interrupted) is stopped and removed.
     */
    static void clearEarlierRun(Path dir, NetworkControl control) throws IOException, InterruptedException {
        if (!Files.exists(dir)) {
            return;
        }
        if (Files.exists(NetworkState.file(dir))) {
            control.down();
        }
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    static void writeReports(List<ScenarioResult> results, Path reportDir) throws IOException {
        List<Map<String, Object>> json = new ArrayList<>();
        for (ScenarioResult r : results) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("scenario", r.name());
            m.put("description", r.description());
            m.put("result", r.passed() ? (r.message().startsWith("skipped") ? "skipped" : "pass") : "fail");
            m.put("message", r.message());
            m.put("durationMillis", r.durationMillis());
            m.put("faults", r.events());
            m.put("failovers", r.failovers());
            m.put("failoverMillis", r.failovers().stream().map(Timeline.Failover::millis).toList());
            m.put("twoDeliverersMillis", Invariants.twoDeliverersMillis(r.samples()));
            m.put("blocksChecked", r.blocksChecked());
            json.add(m);
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(reportDir.resolve("report.json").toFile(),
                Map.of("scenarios", json));
        Files.writeString(reportDir.resolve("report.html"), HtmlReport.render(results));
    }
}
