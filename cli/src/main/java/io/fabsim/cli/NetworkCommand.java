package io.fabsim.cli;

import io.fabsim.cli.network.NetworkBuilder;
import io.fabsim.cli.network.NetworkControl;
import io.fabsim.cli.network.NetworkRunningException;
import io.fabsim.cli.network.NetworkSpec;
import io.fabsim.cli.network.NetworkState;
import io.fabsim.cli.network.StatusClient;
import io.fabsim.cli.network.StatusTable;
import io.fabsim.common.time.Clock;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fabsim network up|down|status|kill|pause|resume|restart|partition|heal|console}: a whole local network of processes. */
@Command(name = "network", mixinStandardHelpOptions = true,
        description = "Bring a local network of orderer and peer processes up or down, show it, inject faults.",
        subcommands = {NetworkCommand.Up.class, NetworkCommand.Down.class, NetworkCommand.Status.class,
            NetworkCommand.Kill.class, NetworkCommand.Pause.class, NetworkCommand.Resume.class,
            NetworkCommand.Restart.class, NetworkPartitionCommand.Partition.class, NetworkPartitionCommand.Heal.class,
            NetworkConsoleCommand.class})
final class NetworkCommand {

    abstract static class DirCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The network's directory (holds network.json).")
        Path dir;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Generate crypto material, genesis blocks and configs into DIR, start every process, join the channels.")
    static final class Up extends DirCommand {
        @Option(names = "--config", required = true, paramLabel = "FILE", description = "Network description (conf/network.conf).")
        Path config;

        @Override
        public Integer call() throws Exception {
            NetworkSpec network = NetworkSpec.load(config);
            try {
                new NetworkBuilder(Clock.system(), out()).up(network, dir, NetworkBuilder.Options.defaults());
            } catch (NetworkRunningException e) {
                spec.commandLine().getErr().println("network up refused: " + e.getMessage());
                return ExitCode.REFUSED_TO_START.code();
            } catch (IOException | RuntimeException e) {
                spec.commandLine().getErr().println("network up failed: " + e.getMessage());
                spec.commandLine().getErr().println("stopping what was started ...");
                try {
                    new NetworkControl(dir, Clock.system()).down();
                } catch (IOException ignored) {
                    // nothing was recorded, so nothing runs
                }
                return ExitCode.FAILURE.code();
            }
            out().println(StatusTable.collect(NetworkState.read(dir), new StatusClient()).render());
            return ExitCode.OK.code();
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true,
            description = "Stop every process of the network (SIGTERM, then SIGKILL after 10 s).")
    static final class Down extends DirCommand {
        @Override
        public Integer call() throws Exception {
            new NetworkControl(dir, Clock.system()).down();
            out().println("network in " + dir + " stopped");
            return ExitCode.OK.code();
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Per channel: every node's height, current hash prefix, mode, leader and delivering marks.")
    static final class Status extends DirCommand {
        @Override
        public Integer call() throws Exception {
            out().print(StatusTable.collect(NetworkState.read(dir), new StatusClient()).render());
            return ExitCode.OK.code();
        }
    }

    abstract static class NodeCommand extends DirCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "Node name as in network.json (e.g. peer0.org1, orderer0).")
        String name;
    }

    @Command(name = "kill", mixinStandardHelpOptions = true, description = "kill -9 one node.")
    static final class Kill extends NodeCommand {
        @Override
        public Integer call() throws Exception {
            new NetworkControl(dir, Clock.system()).kill(name);
            out().println("killed " + name);
            return ExitCode.OK.code();
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "SIGSTOP one node (it hangs).")
    static final class Pause extends NodeCommand {
        @Override
        public Integer call() throws Exception {
            new NetworkControl(dir, Clock.system()).pause(name);
            out().println("paused " + name);
            return ExitCode.OK.code();
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "SIGCONT one paused node.")
    static final class Resume extends NodeCommand {
        @Override
        public Integer call() throws Exception {
            new NetworkControl(dir, Clock.system()).resume(name);
            out().println("resumed " + name);
            return ExitCode.OK.code();
        }
    }

    @Command(name = "restart", mixinStandardHelpOptions = true,
            description = "Stop one node if it runs, then start it again from its config (it resumes from its ledger).")
    static final class Restart extends NodeCommand {
        @Override
        public Integer call() throws Exception {
            long pid = new NetworkControl(dir, Clock.system()).restart(name);
            out().println("restarted " + name + " as pid " + pid);
            return ExitCode.OK.code();
        }
    }
}
