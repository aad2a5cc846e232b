package io.fabsim.cli.bench;

import io.fabsim.cli.network.NetworkBuilder;
import io.fabsim.cli.network.NetworkControl;
import io.fabsim.cli.network.NetworkSpec;
import io.fabsim.cli.network.NetworkState;
import io.fabsim.cli.network.StatusClient;
import io.fabsim.common.time.Clock;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * {@code fabsim bench gossip}: one org of P peer processes and one orderer with built-in load. For
 * each block rate asked for, it streams blocks from the orderer (the time it serves a block, right
 * after writing it, is the cut time) and from every peer (the time the peer commits it), and
 * measures for each block the time from the orderer to the LAST peer of the org. The same is done
 * with every peer in {@code STATIC} mode (each peer streams from the orderer itself and, as an org
 * leader, still pushes every block to its org peers) and in {@code RAW} mode (each peer streams from
 * the orderer with gossip off: no org peers, no block gossip, no state transfer): the raw limit of
 * the machine. A rate is sustained when, over the window, every peer got every block
 * the orderer cut and latency did not keep growing. Between rates the orderer restarts with the new
 * load rate (its only knob); peers reconnect and catch up before the next window.
 */
final class GossipBenchmark {

    record Options(int peers, int maxMessageCount, int txSize, List<Double> blockRates, Duration window,
                   List<NetworkSpec.Mode> modes, Path dir, String javaOpts) {
        Options {
            if (peers < 1 || peers > 16) {
                throw new IllegalArgumentException("--peers: expected 1 to 16, got " + peers);
            }
            if (blockRates.isEmpty() || blockRates.stream().anyMatch(r -> r <= 0 || r > 1000)) {
                throw new IllegalArgumentException("--block-rates: expected rates in (0, 1000] blocks/s, got " + blockRates);
            }
            if (window.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("--window: expected at least 1s, got " + window);
            }
            blockRates = List.copyOf(blockRates);
            modes = List.copyOf(modes);
        }

        /** Transactions per second for the orderer's load at {@code blockRate} (at least 1). */
        int txRate(double blockRate) {
            return Math.max(1, (int) Math.round(blockRate * maxMessageCount));
        }
    }

    /** One window's figures. */
    record Step(NetworkSpec.Mode mode, double targetBlockRate, double cutBlockRate, long blocks, long missing,
                LatencySummary latency, boolean growing) {
        boolean sustained() {
            return blocks > 0 && missing == 0 && !growing;
        }
    }

    private static final Duration WARM_UP = Duration.ofSeconds(3);
    private static final Duration GRACE = Duration.ofSeconds(3);
    private static final Duration BOUND = Duration.ofSeconds(120);

    private final Clock clock;
    private final PrintWriter out;
    private final StatusClient status = new StatusClient();

    GossipBenchmark(Clock clock, PrintWriter out) {
        this.clock = clock;
        this.out = out;
    }

    List<Step> run(Options o) throws Exception {
        List<Step> steps = new ArrayList<>();
        for (NetworkSpec.Mode mode : o.modes()) {
            Path dir = o.dir().resolve(mode.name().toLowerCase());
            // A 1 s batch timeout: at the rates measured, blocks are cut by count, so they have the asked size.
            BenchNetworks.Load load = new BenchNetworks.Load(Duration.ofSeconds(1), o.maxMessageCount(),
                    o.txRate(o.blockRates().get(0)), o.txSize());
            NetworkSpec spec = BenchNetworks.oneOrg(o.peers(), mode, load, o.javaOpts());
            NetworkControl control = new NetworkControl(dir, clock);
            try {
                new NetworkBuilder(clock, out).up(spec, dir, NetworkBuilder.Options.defaults());
                for (int i = 0; i < o.blockRates().size(); i++) {
                    double rate = o.blockRates().get(i);
                    if (i > 0) {
                        setLoadRate(control, o.txRate(rate));
                    }
                    Step step = window(spec, dir, control.state(), mode, rate, o.window());
                    steps.add(step);
                    out.println(row(o, step));
                    out.flush();
                    if (!step.sustained()) {
                        break;
                    }
                }
            } finally {
                BenchNetworks.down(control, dir);
            }
        }
        return steps;
    }

    private void setLoadRate(NetworkControl control, int txRate) throws Exception {
        NetworkState.Node orderer = control.state().node(BenchNetworks.ORDERER).orElseThrow();
        Path conf = Path.of(orderer.configFile());
        Files.writeString(conf, withLoadRate(Files.readString(conf), txRate));
        control.restart(BenchNetworks.ORDERER);
        awaitUntil(() -> status.healthy(orderer.operationsAddress()), "orderer healthy");
    }

    /** The orderer config with its {@code load.rate} set to {@code txRate}. */
    static String withLoadRate(String conf, int txRate) {
        String updated = conf.replaceFirst("(load \\{[^}]*rate = )\\d+", "$1" + txRate);
        if (updated.equals(conf) && !conf.matches("(?s).*load \\{[^}]*rate = " + txRate + "\\b.*")) {
            throw new IllegalArgumentException("orderer config has no load { ... rate = N ... } to change");
        }
        return updated;
    }

    private Step window(NetworkSpec spec, Path dir, NetworkState state, NetworkSpec.Mode mode, double rate,
                        Duration window) throws Exception {
        List<String> peers = state.peers().stream().map(NetworkState.Node::name).toList();
        Arrivals arrivals = new Arrivals();
        try (DeliverStreams streams = DeliverStreams.open(dir, spec, spec.orgs().get(0), clock, arrivals)) {
            NetworkState.Node orderer = state.node(BenchNetworks.ORDERER).orElseThrow();
            streams.fromOrderer(orderer.name(), orderer.grpcAddress(), BenchNetworks.CHANNEL);
            state.peers().forEach(p -> streams.fromPeer(p.name(), p.grpcAddress(), BenchNetworks.CHANNEL));
            // Peers catch up after the orderer's restart, then a warm-up lets the streams settle.
            awaitUntil(() -> Arrivals.firstEverywhereAfter(arrivals.all(), peers, firstOf(arrivals, orderer.name()) - 1)
                    .isPresent(), "every peer at the orderer's height");
            clock.sleep(WARM_UP);
            long start = clock.nanoTime();
            clock.sleep(window);
            long end = clock.nanoTime();
            clock.sleep(GRACE);
            NavigableMap<Long, Long> cut = new TreeMap<>();
            arrivals.of(orderer.name()).forEach((b, t) -> {
                if (t >= start && t < end) {
                    cut.put(b, t);
                }
            });
            return step(mode, rate, cut, arrivals.all(), peers, (end - start) / 1e9);
        }
    }

    /** The figures of one window from the blocks the orderer cut in it and every peer's arrivals. */
    static Step step(NetworkSpec.Mode mode, double rate, NavigableMap<Long, Long> cut,
                     Map<String, ? extends Map<Long, Long>> arrivals, List<String> peers, double seconds) {
        List<Long> latencies = Arrivals.latenciesToLast(cut, arrivals, peers);
        long missing = Arrivals.missing(cut, arrivals, peers);
        return new Step(mode, rate, cut.size() / seconds, cut.size(), missing, LatencySummary.of(latencies),
                growing(latencies));
    }

    /** Latency keeps growing: the median of the last third is above twice the first third's plus 100 ms. */
    static boolean growing(List<Long> latencies) {
        int third = latencies.size() / 3;
        if (third == 0) {
            return false;
        }
        long first = median(latencies.subList(0, third));
        long last = median(latencies.subList(latencies.size() - third, latencies.size()));
        return last > 2 * first + 100_000_000L;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static long firstOf(Arrivals arrivals, String node) {
        NavigableMap<Long, Long> m = arrivals.of(node);
        return m.isEmpty() ? Long.MAX_VALUE : m.firstKey();
    }

    static String header() {
        return "| peers | block | mode | target blocks/s | cut blocks/s | blocks | missing | p50 | p99 | max | sustained |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|";
    }

    static String row(Options o, Step s) {
        return String.format(java.util.Locale.ROOT, "| %d | %d x %d B | %s | %.1f | %.1f | %d | %d | %s | %s | %s | %s |",
                o.peers(), o.maxMessageCount(), o.txSize(), label(s.mode()),
                s.targetBlockRate(), s.cutBlockRate(), s.blocks(), s.missing(), LatencySummary.fmt(s.latency().p50Ms()),
                LatencySummary.fmt(s.latency().p99Ms()), LatencySummary.fmt(s.latency().maxMs()),
                s.sustained() ? "yes" : s.missing() > 0 ? "no (peers behind)" : "no (latency growing)");
    }

    private static String label(NetworkSpec.Mode mode) {
        return switch (mode) {
            case ELECTION -> "gossip";
            case STATIC -> "static (leaders gossip)";
            case RAW -> "raw (no gossip)";
            case NONE -> "none";
        };
    }

    private void awaitUntil(java.util.function.BooleanSupplier condition, String what) throws Exception {
        long deadline = clock.nanoTime() + BOUND.toNanos();
        while (!condition.getAsBoolean()) {
            if (clock.nanoTime() > deadline) {
                throw new IOException("no " + what + " within " + BOUND);
            }
            clock.sleep(Duration.ofMillis(20));
        }
    }
}
