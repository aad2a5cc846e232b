package io.fabsim.cli;

import io.fabsim.cli.console.ConsoleServer;
import io.fabsim.common.config.HostPort;
import io.fabsim.common.time.Clock;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fabsim network console}: the live web console of a running network, until Ctrl-C. */
@Command(name = "console", mixinStandardHelpOptions = true,
        description = "Serve a live web console for the network in DIR: leaders, heights, failovers, and buttons "
                + "for the faults (kill, pause, restart, partition, block cutting, load rate). Runs until Ctrl-C.")
final class NetworkConsoleCommand extends NetworkCommand.DirCommand {

    /** The default address: loopback, a port unlikely to be taken. */
    static final String DEFAULT_LISTEN = "127.0.0.1:8700";

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = DEFAULT_LISTEN,
            description = "Address to serve on (port 0: a free port). Default: ${DEFAULT-VALUE}.")
    String listen;

    @Option(names = "--allow-remote",
            description = "Allow --listen on an address other than loopback (anyone who can reach it and load the "
                    + "page can kill the network's processes).")
    boolean allowRemote;

    @Override
    public Integer call() throws Exception {
        HostPort address;
        try {
            address = HostPort.parse(listen);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.USAGE, "--listen " + listen + ": expected HOST:PORT, e.g. " + DEFAULT_LISTEN);
        }
        ConsoleServer console;
        try {
            console = ConsoleServer.start(dir, address, allowRemote, Clock.system());
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.USAGE, e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            console.close();
            stopped.countDown();
        }, "console-shutdown"));
        out().println("console for " + dir + " on " + console.url() + " (Ctrl-C to stop)");
        out().flush();
        stopped.await();
        return ExitCode.OK.code();
    }
}
