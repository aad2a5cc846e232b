package io.fabsim.cli;

import io.fabsim.cli.bench.Benchmarks;
import io.fabsim.common.time.Clock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fabsim bench failover|gossip}: multi-process benchmarks on a network of their own. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Multi-process benchmarks: leader failover and gossip dissemination, on real local networks.",
        subcommands = {BenchCommand.Failover.class, BenchCommand.Gossip.class})
final class BenchCommand {

    @Command(name = "failover", mixinStandardHelpOptions = true,
            description = "Kill (crash) or SIGSTOP (hang) the delivering peer N times; time the takeover.")
    static final class Failover implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--kills", defaultValue = "10", description = "Rounds. Default: ${DEFAULT-VALUE}.")
        int kills;

        @Option(names = "--mode", defaultValue = "crash", description = "crash (kill -9) or hang (SIGSTOP). Default: ${DEFAULT-VALUE}.")
        String mode;

        @Option(names = "--peers", defaultValue = "3", description = "Election peers in the org. Default: ${DEFAULT-VALUE}.")
        int peers;

        @Option(names = "--dir", description = "Network directory (default: a new temporary one).")
        Path dir;

        @Option(names = "--java-opts", defaultValue = Benchmarks.JAVA_OPTS, description = "JVM options of every process.")
        String javaOpts;

        @Option(names = "--algorithm", defaultValue = "jgroups", description = "Election of the peers: jgroups, fabric "
                + "(Fabric's algorithm, reference.conf timings) or both (the same faults on each, side by side). "
                + "Default: ${DEFAULT-VALUE}.")
        String algorithm;

        @Option(names = "--soak", defaultValue = "0s", description = "Before the first round, run this long under load "
                + "without faults and count leader elections, pause fences and view departures in the peers' logs "
                + "(a hang detection too tight for the machine shows there), e.g. 10m. Default: ${DEFAULT-VALUE}.")
        String soak;

        @Override
        public Integer call() throws Exception {
            Path d = dir != null ? dir : Files.createTempDirectory("fabsim-bench-failover");
            try {
                Benchmarks.failover(Clock.system(), spec.commandLine().getOut(), kills, mode, peers, d, javaOpts,
                        algorithm, soak);
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCode.USAGE, e.getMessage(), e);
            }
            return ExitCode.OK.code();
        }
    }

    @Command(name = "gossip", mixinStandardHelpOptions = true,
            description = "Orderer-cut to last-peer-commit latency and the highest sustained block rate, gossip vs static.")
    static final class Gossip implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--peers", defaultValue = "4", description = "Peer processes in the org. Default: ${DEFAULT-VALUE}.")
        int peers;

        @Option(names = "--max-message-count", defaultValue = "10", description = "Transactions per block. Default: ${DEFAULT-VALUE}.")
        int maxMessageCount;

        @Option(names = "--tx-size", defaultValue = "1024", description = "Bytes per transaction. Default: ${DEFAULT-VALUE}.")
        int txSize;

        @Option(names = "--block-rates", split = ",", defaultValue = "2,5,10,20",
                description = "Block rates to try in order, blocks/s; stops at the first not sustained. Default: ${DEFAULT-VALUE}.")
        List<Double> blockRates;

        @Option(names = "--window", defaultValue = "10s", description = "Measurement window per rate. Default: ${DEFAULT-VALUE}.")
        String window;

        @Option(names = "--modes", split = ",", defaultValue = "election,raw",
                description = "election (one leader, gossip), static (every peer from the orderer, each pushing to "
                        + "its org peers) and/or raw (every peer from the orderer, gossip off). Default: ${DEFAULT-VALUE}.")
        List<String> modes;

        @Option(names = "--dir", description = "Where the networks go (default: a new temporary directory).")
        Path dir;

        @Option(names = "--java-opts", defaultValue = Benchmarks.JAVA_OPTS, description = "JVM options of every process.")
        String javaOpts;

        @Override
        public Integer call() throws Exception {
            Path d = dir != null ? dir : Files.createTempDirectory("fabsim-bench-gossip");
            try {
                Benchmarks.gossip(Clock.system(), spec.commandLine().getOut(),
                        new Benchmarks.GossipArgs(peers, maxMessageCount, txSize, blockRates, window, modes), d, javaOpts);
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCode.USAGE, e.getMessage(), e);
            }
            return ExitCode.OK.code();
        }
    }
}
