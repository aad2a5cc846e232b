package io.fabsim.cli;

import io.fabsim.cli.chaos.ChaosPlan;
import io.fabsim.cli.chaos.ChaosReport;
import io.fabsim.cli.chaos.ChaosRun;
import io.fabsim.cli.chaos.FaultKind;
import io.fabsim.cli.chaos.Violation;
import io.fabsim.cli.network.NetworkSpec;
import io.fabsim.common.config.ConfigException;
import io.fabsim.common.time.GoDurations;
import io.fabsim.common.time.Clock;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fabsim chaos}: a nemesis injects random faults from a seeded schedule into a network while
 * a monitor checks the invariants; exits 1 when any violation was found. Ctrl-C tears every process
 * and namespace of the run down.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = "Inject random faults (seeded: the same seed replays the same schedule) into freshly started "
                + "networks, or one running network, while checking the leadership, no-block-lost, convergence and "
                + "no-crash invariants. Writes REPORT/report.json; exits 1 when a violation was found.")
final class ChaosCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE",
            description = "Network description (conf/network.conf); with --dir, the description of the network running there.")
    Path config;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Attach to the network running in DIR for the whole run instead of starting fresh ones.")
    Path dir;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed of the schedule. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--duration", defaultValue = "10m", paramLabel = "D",
            description = "Time under faults (network start-up and checks come on top). Default: ${DEFAULT-VALUE}.")
    String duration;

    @Option(names = "--faults", split = ",", paramLabel = "KIND",
            defaultValue = "kill,pause,partition,delay,orderer-kill,restart",
            description = "Fault kinds: kill, pause, partition, delay, orderer-kill, restart. Default: ${DEFAULT-VALUE}.")
    List<String> faults;

    @Option(names = "--fresh-every", defaultValue = "5m", paramLabel = "D",
            description = "A freshly started network for each slice of this length. Default: ${DEFAULT-VALUE}.")
    String freshEvery;

    @Option(names = "--stable-window", defaultValue = "5s", paramLabel = "D",
            description = "How long an org's view must have been undisturbed before two streaming peers are a "
                    + "violation. Default: ${DEFAULT-VALUE}.")
    String stableWindow;

    @Option(names = "--failure-detection", defaultValue = "3s", paramLabel = "D",
            description = "The failure-detection time (FD_ALL3 timeout of conf/jgroups-tcp.xml); half the pauses last "
                    + "this ± 1 s. Default: ${DEFAULT-VALUE}.")
    String failureDetection;

    @Option(names = "--report", defaultValue = "target/chaos", paramLabel = "DIR",
            description = "Where report.json and each epoch's network go. Default: ${DEFAULT-VALUE}.")
    Path report;

    @Override
    public Integer call() throws Exception {
        // The offline ledger audit opens every ledger: keep its INFO lines out of the output.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.fabsim.ledger"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        NetworkSpec network = NetworkSpec.load(config);
        ChaosPlan.Settings settings;
        try {
            settings = new ChaosPlan.Settings(seed, duration("--duration", duration), duration("--fresh-every", freshEvery),
                    FaultKind.parseList("--faults", faults), duration("--failure-detection", failureDetection));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("chaos", e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        ChaosRun run = new ChaosRun(Clock.system(), out);
        Thread hook = new Thread(() -> run.abort(Duration.ofMinutes(2)), "chaos-teardown");
        Runtime.getRuntime().addShutdownHook(hook);
        ChaosReport result;
        try {
            result = run.run(new ChaosRun.Options(network, report, Optional.ofNullable(dir), settings,
                    duration("--stable-window", stableWindow), Duration.ofMillis(250)));
        } catch (InterruptedException e) {
            spec.commandLine().getErr().println("chaos: interrupted: the run's processes and namespaces are torn down; "
                    + "findings so far in " + report.resolve("report.json").toAbsolutePath());
            return ExitCode.FAILURE.code();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook runs and waits for the teardown above
            }
        }
        out.printf("chaos: faults injected by kind %s; %d blocks verified; %d violation(s)%n", result.injectedByKind(),
                result.blocksVerified(), result.violations().size());
        for (Violation v : result.violations()) {
            out.printf("  VIOLATION %s epoch %d [%d..%d ms] %s %s %s (seed %d): %s%n", v.kind(), v.epoch(), v.startMillis(),
                    v.endMillis(), v.channel() == null ? "" : v.channel(), v.org() == null ? "" : v.org(), v.peers(),
                    v.seed(), v.detail());
        }
        out.println("chaos: report " + report.resolve("report.json").toAbsolutePath());
        return result.violations().isEmpty() ? ExitCode.OK.code() : ExitCode.FAILURE.code();
    }

    private static Duration duration(String option, String text) {
        try {
            return GoDurations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(option, "expected a duration like 90s, 10m or 1h, got \"" + text + "\"");
        }
    }
}
