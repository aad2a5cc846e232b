package io.fabsim.cli;

import io.fabsim.cli.network.NetworkSpec;
import io.fabsim.cli.scenario.Demo;
import io.fabsim.common.config.HostPort;
import io.fabsim.common.time.Clock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fabsim demo}: a network, a live view, a leader killed, the takeover, a summary. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Bring up the demo network, kill a leader, watch the takeover, check every ledger, tear down.")
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "conf/network.conf",
            description = "Network description. Default: ${DEFAULT-VALUE}.")
    Path config;

    @Option(names = "--dir", paramLabel = "DIR", description = "Network directory; a new temporary one when absent.")
    Path dir;

    @Option(names = "--before", paramLabel = "SECONDS", defaultValue = "6", description = "Seconds before the kill.")
    int before;

    @Option(names = "--after", paramLabel = "SECONDS", defaultValue = "8", description = "Seconds after the takeover.")
    int after;

    @Option(names = "--console", description = "Also serve the live web console (on --listen) during the demo, and keep "
            + "the network and the console up after it until Ctrl-C.")
    boolean console;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = NetworkConsoleCommand.DEFAULT_LISTEN,
            description = "The web console's loopback address with --console. Default: ${DEFAULT-VALUE}.")
    String listen;

    @Override
    public Integer call() throws Exception {
        NetworkSpec network = NetworkSpec.load(config);
        Path where = dir != null ? dir : Files.createTempDirectory("fabsim-demo-");
        spec.commandLine().getOut().println("demo: network directory " + where);
        Optional<HostPort> web = console ? Optional.of(HostPort.parse(listen)) : Optional.empty();
        boolean ok = new Demo(Clock.system(), spec.commandLine().getOut(), System.console() != null, web)
                .run(network, where, Duration.ofSeconds(before), Duration.ofSeconds(after));
        return ok ? ExitCode.OK.code() : ExitCode.FAILURE.code();
    }
}
