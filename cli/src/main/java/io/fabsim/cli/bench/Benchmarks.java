package io.fabsim.cli.bench;

import io.fabsim.cli.network.NetworkSpec;
import io.fabsim.common.config.ConfigLoader;
import io.fabsim.common.config.ConfigReader;
import io.fabsim.common.time.Clock;
import io.fabsim.deliver.DeliverClientConfig;
import io.fabsim.election.ElectionAlgorithm;
import io.fabsim.election.ElectionConfig;
import io.fabsim.election.FabricElectionConfig;
import io.fabsim.gossip.GossipConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Entry points of the multi-process benchmarks ({@code fabsim bench ...}): argument validation
 * (an {@link IllegalArgumentException} naming the option, the value and what was expected) and runs
 * that print each round and a markdown summary ready for {@code docs/BENCHMARKS.md}.
 */
public final class Benchmarks {

    public static final String JAVA_OPTS = BenchNetworks.JAVA_OPTS;

    /** The failover network's load: 10 blocks/s of 5 x 512 B transactions (cut by count; 200 ms timeout). */
    static final BenchNetworks.Load FAILOVER_LOAD = new BenchNetworks.Load(Duration.ofMillis(200), 5, 50, 512);

    /** Options of {@code bench gossip} as given on the command line. */
    public record GossipArgs(int peers, int maxMessageCount, int txSize, List<Double> blockRates, String window,
                             List<String> modes) {
    }

    private Benchmarks() {
    }

    /** {@code --algorithm}: jgroups, fabric, or both (jgroups first, then fabric, under the same faults). */
    static List<ElectionAlgorithm> algorithms(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "jgroups" -> List.of(ElectionAlgorithm.JGROUPS);
            case "fabric" -> List.of(ElectionAlgorithm.FABRIC);
            case "both" -> List.of(ElectionAlgorithm.JGROUPS, ElectionAlgorithm.FABRIC);
            default -> throw new IllegalArgumentException("--algorithm: expected jgroups, fabric or both, got \"" + value + "\"");
        };
    }

    static FailoverBenchmark.Options failoverOptions(int kills, String mode, int peers, Path dir, String javaOpts) {
        return failoverOptions(kills, mode, peers, dir, javaOpts, ElectionAlgorithm.JGROUPS);
    }

    static FailoverBenchmark.Options failoverOptions(int kills, String mode, int peers, Path dir, String javaOpts,
            ElectionAlgorithm algorithm) {
        return failoverOptions(kills, mode, peers, dir, javaOpts, algorithm, Duration.ZERO);
    }

    static FailoverBenchmark.Options failoverOptions(int kills, String mode, int peers, Path dir, String javaOpts,
            ElectionAlgorithm algorithm, Duration soak) {
        FailoverBenchmark.Fault fault = switch (mode.toLowerCase(Locale.ROOT)) {
            case "crash" -> FailoverBenchmark.Fault.CRASH;
            case "hang" -> FailoverBenchmark.Fault.HANG;
            default -> throw new IllegalArgumentException("--mode: expected crash or hang, got \"" + mode + "\"");
        };
        return new FailoverBenchmark.Options(kills, fault, peers, dir, FAILOVER_LOAD, javaOpts, algorithm, soak);
    }

    static GossipBenchmark.Options gossipOptions(GossipArgs a, Path dir, String javaOpts) {
        if (a.maxMessageCount() < 1 || a.maxMessageCount() > 10_000) {
            throw new IllegalArgumentException("--max-message-count: expected 1 to 10000, got " + a.maxMessageCount());
        }
        if (a.txSize() < 1 || a.txSize() > 16 * 1024 * 1024) {
            throw new IllegalArgumentException("--tx-size: expected 1 to 16777216 bytes, got " + a.txSize());
        }
        List<NetworkSpec.Mode> modes = new ArrayList<>();
        for (String m : a.modes()) {
            switch (m.toLowerCase(Locale.ROOT)) {
                case "election", "gossip" -> modes.add(NetworkSpec.Mode.ELECTION);
                case "static" -> modes.add(NetworkSpec.Mode.STATIC);
                case "raw" -> modes.add(NetworkSpec.Mode.RAW);
                default -> throw new IllegalArgumentException("--modes: expected election, static and/or raw, got \""
                        + m + "\"");
            }
        }
        if (modes.isEmpty()) {
            throw new IllegalArgumentException("--modes: expected election, static and/or raw, got none");
        }
        return new GossipBenchmark.Options(a.peers(), a.maxMessageCount(), a.txSize(), a.blockRates(),
                duration("--window", a.window()), modes, dir, javaOpts);
    }

    /** {@code 10s}, {@code 500ms}, {@code 2m} or an ISO-8601 duration. */
    static Duration duration(String option, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.matches("\\d+ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.matches("\\d+s")) {
                return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            if (v.matches("\\d+m")) {
                return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            return Duration.parse(value.trim());
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException(option + ": expected a duration such as 10s or 500ms, got \"" + value + "\"");
        }
    }

    /** Validates the arguments (an {@link IllegalArgumentException} when one is wrong), then runs. */
    /** With {@code soak} ({@code 10m}, {@code 0s}...) without faults under load before the first round. */
    public static void failover(Clock clock, PrintWriter out, int kills, String mode, int peers, Path dir, String javaOpts,
            String algorithm, String soak) throws Exception {
        Duration soakFor = duration("--soak", soak);
        List<ElectionAlgorithm> algorithms = algorithms(algorithm);
        FailoverBenchmark.Fault fault = failoverOptions(kills, mode, peers, dir, javaOpts).fault();
        Map<ElectionAlgorithm, List<FailoverBenchmark.Round>> runs = new LinkedHashMap<>();
        for (ElectionAlgorithm a : algorithms) {
            Path d = algorithms.size() == 1 ? dir : dir.resolve(a.name().toLowerCase(Locale.ROOT));
            FailoverBenchmark.Options o = failoverOptions(kills, mode, peers, d, javaOpts, a, soakFor);
            runs.put(a, failover(clock, out, o));
        }
        if (runs.size() > 1) {
            FailoverBenchmark.comparison(fault, runs).forEach(out::println);
            out.flush();
        }
    }

    /**
     * Every election and gossip setting the benchmark's peers run with: reference.conf with the
     * environment variables the peers inherit from this process ({@code CORE_...}, {@code FABSIM_...},
     * e.g. {@code FABSIM_PEER_DELIVERYCLIENT_FABSIM_WARMSTANDBY=false}); network up sets the rest.
     */
    static String settings(ElectionAlgorithm algorithm) {
        return settings(algorithm, System.getenv());
    }

    static String settings(ElectionAlgorithm algorithm, Map<String, String> env) {
        ConfigReader defaults = ConfigLoader.load(java.util.Optional.empty(), env, List.of("CORE", "FABSIM"));
        String election = algorithm == ElectionAlgorithm.FABRIC ? FabricElectionConfig.from(defaults).toString()
                : ElectionConfig.from(defaults).toString();
        return "election " + algorithm.name().toLowerCase(Locale.ROOT) + " " + election + "; gossip "
                + GossipConfig.from(defaults) + "; deliveryclient " + DeliverClientConfig.from(defaults);
    }

    /** Validates the arguments (an {@link IllegalArgumentException} when one is wrong), then runs. */
    public static void gossip(Clock clock, PrintWriter out, GossipArgs args, Path dir, String javaOpts) throws Exception {
        gossip(clock, out, gossipOptions(args, dir, javaOpts));
    }

    static List<FailoverBenchmark.Round> failover(Clock clock, PrintWriter out, FailoverBenchmark.Options o)
            throws Exception {
        out.printf("bench failover: %d x %s, %d election peers (%s), load %s, network in %s%n", o.kills(),
                o.fault().name().toLowerCase(Locale.ROOT), o.peers(), o.algorithm().name().toLowerCase(Locale.ROOT),
                o.load(), o.dir());
        out.println("settings (reference.conf; network up also sets each peer's gossip endpoint and bootstrap, "
                + "and the deliveryclient reconnect thresholds): " + settings(o.algorithm()));
        out.flush();
        List<FailoverBenchmark.Round> rounds = new FailoverBenchmark(clock, out).run(o);
        FailoverBenchmark.summary(o.fault(), rounds).forEach(out::println);
        out.flush();
        return rounds;
    }

    static void gossip(Clock clock, PrintWriter out, GossipBenchmark.Options o) throws Exception {
        out.printf("bench gossip: %d peers, blocks of %d x %d B, block rates %s, window %s, modes %s, networks in %s%n",
                o.peers(), o.maxMessageCount(), o.txSize(), o.blockRates(), o.window(), o.modes(), o.dir());
        out.println(GossipBenchmark.header());
        out.flush();
        new GossipBenchmark(clock, out).run(o);
    }
}
