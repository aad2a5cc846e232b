package io.fabsim.cli;

import io.fabsim.cli.scenario.Scenario;
import io.fabsim.cli.scenario.ScenarioResult;
import io.fabsim.cli.scenario.ScenarioRunner;
import io.fabsim.cli.scenario.ScenarioSuite;
import io.fabsim.common.time.Clock;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fabsim scenarios run|list}: the scripted failover scenarios. */
@Command(name = "scenarios", mixinStandardHelpOptions = true,
        description = "Scripted failover scenarios on real local networks, with a JSON and HTML report.",
        subcommands = {ScenariosCommand.Run.class, ScenariosCommand.ListScenarios.class})
final class ScenariosCommand {

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Run the quick suite (default) or the full one; exits 1 when a scenario fails.")
    static final class Run implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--full", description = "Every scenario, each fault repeated (takes much longer).")
        boolean full;

        @Option(names = "--only", split = ",", paramLabel = "NAME", description = "Run only these scenarios.")
        List<String> only;

        @Option(names = "--repeat", paramLabel = "N", description = "Times each fault is repeated (quick: 1, full: 5).")
        Integer repeat;

        @Option(names = "--report", paramLabel = "DIR", defaultValue = "target/scenarios",
                description = "Where each scenario's network and the report go. Default: ${DEFAULT-VALUE}.")
        Path report;

        @Override
        public Integer call() throws Exception {
            // The offline ledger audit opens every ledger: keep its INFO lines out of the report.
            ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.fabsim.ledger"))
                    .setLevel(ch.qos.logback.classic.Level.WARN);
            List<Scenario> scenarios = ScenarioSuite.select(full, only);
            int times = repeat != null ? repeat : full ? 5 : 1;
            var out = spec.commandLine().getOut();
            out.printf("running %d scenario(s) %s, repeat %d, report in %s%n", scenarios.size(),
                    scenarios.stream().map(Scenario::name).toList(), times, report.toAbsolutePath());
            List<ScenarioResult> results = new ScenarioRunner(Clock.system(), out).run(scenarios, times, report);
            long failed = results.stream().filter(r -> !r.passed()).count();
            long skipped = results.stream().filter(r -> r.message().startsWith("skipped")).count();
            out.printf("scenarios: %d passed, %d failed, %d skipped%n", results.size() - failed - skipped, failed, skipped);
            out.printf("report: %s and %s%n", report.resolve("report.json").toAbsolutePath(),
                    report.resolve("report.html").toAbsolutePath());
            return failed == 0 ? ExitCode.OK.code() : ExitCode.FAILURE.code();
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the scenarios and what each expects.")
    static final class ListScenarios implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            for (Scenario s : ScenarioSuite.select(true, null)) {
                spec.commandLine().getOut().printf("%-24s %s%s%n", s.name(), ScenarioSuite.isQuick(s) ? "[quick] " : "",
                        s.description());
            }
            return ExitCode.OK.code();
        }
    }
}
