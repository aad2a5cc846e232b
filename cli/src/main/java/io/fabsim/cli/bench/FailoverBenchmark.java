package io.fabsim.cli.bench;

import io.fabsim.cli.network.NetworkBuilder;
import io.fabsim.cli.network.NetworkControl;
import io.fabsim.cli.network.NetworkSpec;
import io.fabsim.cli.network.NetworkState;
import io.fabsim.cli.network.StatusClient;
import io.fabsim.common.time.Clock;
import io.fabsim.election.ElectionAlgorithm;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code fabsim bench failover}: one org of election peers and one orderer with load. Each round
 * finds the delivering peer, kills it ({@code kill -9}) or hangs it (SIGSTOP), and measures from the
 * fault: (a) until another peer's deliver client has its stream to the orderer open (its log line
 * {@code Connected to ordering service}, same machine clock; also the election line and the first
 * {@code /status} poll showing it delivering), and (b) until the first block above the last one
 * committed anywhere before the fault (the faulted leader included) has been committed on every
 * surviving peer (Deliver streams from every peer); and (c) until the first block the orderer cut
 * after the fault (a Deliver stream from the orderer) has been committed on every survivor, which
 * cannot have been in flight from the old leader but includes up to one block interval. Then the peer is restarted (or resumed, and it stands down) and caught up.
 */
final class FailoverBenchmark {

    enum Fault { CRASH, HANG }

    /** {@code soak}: how long the network runs under load without faults before the first round (0: not at all). */
    record Options(int kills, Fault fault, int peers, Path dir, BenchNetworks.Load load, String javaOpts,
                   ElectionAlgorithm algorithm, Duration soak) {
        Options {
            if (soak.isNegative() || soak.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException("--soak: expected a duration from 0s to 1d, got " + soak);
            }
            if (kills < 1 || kills > 10_000) {
                throw new IllegalArgumentException("--kills: expected 1 to 10000, got " + kills);
            }
            if (peers < 2 || peers > 16) {
                throw new IllegalArgumentException("--peers: expected 2 to 16 (a survivor must take over), got " + peers);
            }
        }
    }

    /**
     * One round's figures in nanoseconds from the fault; empty when that event was not seen within
     * the bound. From the new leader's log: the election view without the faulted peer, elected,
     * stream open (SeekInfo sent), first block on the new stream, and whether the stream went over
     * the warm standby connection; from the benchmark's Deliver streams: that first block, the next
     * block and the first block cut after the fault committed on every survivor.
     */
    record Round(String killed, String next, Optional<Long> elected, Optional<Long> streamOpen, long polled,
                 Optional<Long> committedEverywhere, Optional<Long> cutAfterEverywhere, Optional<Long> viewChanged,
                 Optional<Long> firstBlock, Optional<Long> firstBlockEverywhere, boolean standby) {
    }

    static final String CONNECTED = "Connected to ordering service";
    static final String ELECTED = "Elected as a leader, starting delivery service for channel";
    static final String LEFT_VIEW = "left the view";
    static final String FIRST_BLOCK = "the first on this stream";
    static final String STANDBY_USED = "(standby connection)";
    static final String FENCED = "was frozen for";
    private static final Duration POLL = Duration.ofMillis(10);
    private static final Duration BOUND = Duration.ofSeconds(60);
    /** How long a restarted peer may take to report healthy and catch up (a JVM start under heavy load). */
    private static final Duration RESTART_BOUND = Duration.ofMinutes(3);

    private final Clock clock;
    private final PrintWriter out;
    private final StatusClient status = new StatusClient();

    FailoverBenchmark(Clock clock, PrintWriter out) {
        this.clock = clock;
        this.out = out;
    }

    List<Round> run(Options o) throws Exception {
        NetworkSpec spec = BenchNetworks.oneOrg(o.peers(), o.load(), o.javaOpts(), o.algorithm());
        NetworkControl control = new NetworkControl(o.dir(), clock);
        List<Round> rounds = new ArrayList<>();
        try {
            new NetworkBuilder(clock, out).up(spec, o.dir(), NetworkBuilder.Options.defaults());
            if (!o.soak().isZero()) {
                soak(control, o.soak());
            }
            for (int i = 1; i <= o.kills(); i++) {
                Round r;
                try {
                    r = round(spec, control, o);
                } catch (IOException e) {
                    if (rounds.isEmpty()) {
                        throw e;
                    }
                    out.printf("round %d/%d failed, stopping with %d rounds: %s%n", i, o.kills(), rounds.size(),
                            e.getMessage());
                    break;
                }
                rounds.add(r);
                out.printf("round %d/%d %s %s -> %s: view %s, elected %s, stream open %s%s, first block %s (poll %s), "
                        + "that block everywhere %s, next block everywhere %s, first block cut after it everywhere %s%n", i,
                        o.kills(), o.fault().name().toLowerCase(), r.killed(), r.next(), ms(r.viewChanged()), ms(r.elected()),
                        ms(r.streamOpen()), r.standby() ? " (standby connection)" : "", ms(r.firstBlock()),
                        ms(Optional.of(r.polled())), ms(r.firstBlockEverywhere()), ms(r.committedEverywhere()),
                        ms(r.cutAfterEverywhere()));
                out.flush();
                try {
                    recover(control, r.killed(), o.fault());
                } catch (IOException e) {
                    out.printf("%s did not recover, stopping with %d rounds: %s%n", r.killed(), rounds.size(), e.getMessage());
                    break;
                }
            }
        } finally {
            BenchNetworks.down(control, o.dir());
        }
        return rounds;
    }

    /**
     * Runs the network under its load without faults for {@code duration}, then counts in every
     * peer's log what happened meanwhile: elections (each a leader change), pause fences and members
     * leaving the election view; with a hang detection that is too tight for the machine, these are
     * not zero.
     */
    private void soak(NetworkControl control, Duration duration) throws Exception {
        NetworkState state = control.state();
        String before = awaitSingleDeliverer(state);
        Instant from = clock.now();
        out.printf("soak: %s without faults under load from %s (delivering: %s)%n", duration, from, before);
        out.flush();
        clock.sleep(duration);
        long elections = 0;
        long fences = 0;
        long left = 0;
        for (NetworkState.Node peer : state.peers()) {
            List<String> lines = LogTimes.read(Path.of(peer.logFile()));
            elections += LogTimes.countAfter(lines, ELECTED, from);
            fences += LogTimes.countAfter(lines, FENCED, from);
            left += LogTimes.countAfter(lines, LEFT_VIEW, from);
        }
        out.printf("soak: %s: %d leader elections (each a leader change), %d pause fences, %d members left the view; "
                + "delivering now: %s%n", duration, elections, fences, left, deliverers(state.peers()));
        out.flush();
    }

    private Round round(NetworkSpec spec, NetworkControl control, Options o) throws Exception {
        String leader = awaitSingleDeliverer(control.state());
        NetworkState state = control.state();
        List<NetworkState.Node> survivors = state.peers().stream().filter(p -> !p.name().equals(leader)).toList();
        List<String> names = survivors.stream().map(NetworkState.Node::name).toList();
        Arrivals arrivals = new Arrivals();
        try (DeliverStreams streams = DeliverStreams.open(o.dir(), spec, spec.orgs().get(0), clock, arrivals)) {
            // The leader's own stream too: a block it committed just before the fault may still be
            // on its way to the others; the block measured is the first one none had at the fault.
            state.peers().forEach(p -> streams.fromPeer(p.name(), p.grpcAddress(), BenchNetworks.CHANNEL));
            NetworkState.Node orderer = state.node(BenchNetworks.ORDERER).orElseThrow();
            streams.fromOrderer(orderer.name(), orderer.grpcAddress(), BenchNetworks.CHANNEL);
            List<String> all = state.peers().stream().map(NetworkState.Node::name).toList();
            awaitUntil(() -> all.stream().allMatch(n -> !arrivals.of(n).isEmpty()) && !arrivals.of(orderer.name()).isEmpty(),
                    "a block on every stream");
            // The fault's time: just before SIGKILL (one direct syscall), but just after SIGSTOP, which
            // goes through a `kill` child process that may take tens of ms to start on a busy machine
            // (the signal has been delivered when it exits).
            Instant wall;
            long t0;
            if (o.fault() == Fault.CRASH) {
                wall = clock.now();
                t0 = clock.nanoTime();
                control.kill(leader);
            } else {
                control.pause(leader);
                wall = clock.now();
                t0 = clock.nanoTime();
            }
            long before = Arrivals.lastBefore(arrivals.all(), all, t0);
            long cutBefore = Arrivals.lastBefore(arrivals.all(), List.of(orderer.name()), t0);
            String next = awaitDeliverer(survivors);
            long polled = clock.nanoTime() - t0;
            awaitUntil(() -> Arrivals.firstEverywhereAfter(arrivals.all(), names, before).isPresent(),
                    "a block above " + before + " on every survivor");
            Optional<Long> everywhere = Arrivals.firstEverywhereAfter(arrivals.all(), names, before).map(c -> c.nanos() - t0);
            awaitUntil(() -> Arrivals.firstEverywhereAfter(arrivals.all(), names, cutBefore).isPresent(),
                    "a block cut after the fault on every survivor");
            Optional<Long> cutAfter = Arrivals.firstEverywhereAfter(arrivals.all(), names, cutBefore).map(c -> c.nanos() - t0);
            Path log = Path.of(state.node(next).orElseThrow().logFile());
            awaitLogLine(log, FIRST_BLOCK, wall);
            List<String> lines = LogTimes.read(log);
            Optional<Long> elected = LogTimes.firstAfter(lines, ELECTED, wall).map(t -> since(wall, t));
            Optional<Long> connected = LogTimes.firstAfter(lines, CONNECTED, wall).map(t -> since(wall, t));
            Optional<Long> view = LogTimes.firstAfter(lines, LEFT_VIEW, wall).map(t -> since(wall, t));
            Optional<String> firstLine = LogTimes.firstLineAfter(lines, FIRST_BLOCK, wall);
            Optional<Long> first = firstLine.flatMap(LogTimes::timestamp).map(t -> since(wall, t));
            Optional<Long> firstEverywhere = firstLine.flatMap(FailoverBenchmark::blockNumber).flatMap(n -> {
                awaitQuietly(() -> Arrivals.everywhereSince(arrivals.all(), names, n, t0).isPresent());
                return Arrivals.everywhereSince(arrivals.all(), names, n, t0).map(c -> c - t0);
            });
            boolean standby = LogTimes.firstLineAfter(lines, CONNECTED, wall).map(l -> l.contains(STANDBY_USED))
                    .orElse(false);
            return new Round(leader, next, elected, connected, polled, everywhere, cutAfter, view, first,
                    firstEverywhere, standby);
        }
    }

    /** Restarts (crash) or resumes (hang) the faulted peer, then waits until it stands down and caught up. */
    private void recover(NetworkControl control, String peer, Fault fault) throws Exception {
        if (fault == Fault.CRASH) {
            control.restart(peer);
        } else {
            control.resume(peer);
        }
        NetworkState state = control.state();
        String ops = state.node(peer).orElseThrow().operationsAddress();
        String orderer = state.node(BenchNetworks.ORDERER).orElseThrow().operationsAddress();
        awaitUntil(() -> status.healthy(ops), peer + " healthy", RESTART_BOUND);
        awaitSingleDeliverer(state);
        long target = height(orderer);
        awaitUntil(() -> height(ops) >= target, peer + " at height " + target, RESTART_BOUND);
    }

    private String awaitSingleDeliverer(NetworkState state) throws Exception {
        long deadline = clock.nanoTime() + BOUND.toNanos();
        int stable = 0;
        List<String> seen = List.of();
        while (clock.nanoTime() < deadline) {
            List<String> now = deliverers(state.peers());
            stable = now.size() == 1 && now.equals(seen) ? stable + 1 : 0;
            seen = now;
            if (stable >= 3) {
                return now.get(0);
            }
            clock.sleep(Duration.ofMillis(100));
        }
        throw new IOException("not exactly one delivering peer within " + BOUND + " (delivering: " + seen + ")");
    }

    private String awaitDeliverer(List<NetworkState.Node> candidates) throws Exception {
        long deadline = clock.nanoTime() + BOUND.toNanos();
        while (clock.nanoTime() < deadline) {
            for (NetworkState.Node p : candidates) {
                if (delivering(p.operationsAddress())) {
                    return p.name();
                }
            }
            clock.sleep(POLL);
        }
        throw new IOException("no surviving peer delivering within " + BOUND);
    }

    private List<String> deliverers(List<NetworkState.Node> peers) {
        return peers.stream().filter(p -> delivering(p.operationsAddress())).map(NetworkState.Node::name).toList();
    }

    private boolean delivering(String ops) {
        return status.status(ops).map(s -> {
            for (var c : s.path("channels")) {
                if (BenchNetworks.CHANNEL.equals(c.path("channel").asText())) {
                    return c.path("delivering").asBoolean(false);
                }
            }
            return false;
        }).orElse(false);
    }

    private long height(String ops) {
        return status.status(ops).map(s -> {
            for (var c : s.path("channels")) {
                if (BenchNetworks.CHANNEL.equals(c.path("channel").asText())) {
                    return c.path("height").asLong(-1);
                }
            }
            return -1L;
        }).orElse(-1L);
    }

    private void awaitUntil(java.util.function.BooleanSupplier condition, String what) throws Exception {
        awaitUntil(condition, what, BOUND);
    }

    private void awaitUntil(java.util.function.BooleanSupplier condition, String what, Duration bound) throws Exception {
        long deadline = clock.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (clock.nanoTime() > deadline) {
                throw new IOException("no " + what + " within " + bound);
            }
            clock.sleep(POLL);
        }
    }

    /** The block number in a {@code Received block [N] ...} line. */
    static Optional<Long> blockNumber(String line) {
        int open = line.indexOf("block [");
        int close = open < 0 ? -1 : line.indexOf(']', open);
        if (close < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(line.substring(open + "block [".length(), close)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Waits a bounded while for {@code condition} (an event not seen then is reported as "not seen"). */
    private void awaitQuietly(java.util.function.BooleanSupplier condition) {
        long deadline = clock.nanoTime() + Duration.ofSeconds(10).toNanos();
        try {
            while (!condition.getAsBoolean() && clock.nanoTime() < deadline) {
                clock.sleep(POLL);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits a bounded while for the line to be written (a missing one is reported as "not seen"). */
    private void awaitLogLine(Path log, String needle, Instant after) throws Exception {
        long deadline = clock.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (LogTimes.firstAfter(log, needle, after).isEmpty() && clock.nanoTime() < deadline) {
            clock.sleep(Duration.ofMillis(50));
        }
    }

    private static long since(Instant from, Instant to) {
        return Math.max(0, Duration.between(Instant.ofEpochMilli(from.toEpochMilli()), to).toNanos());
    }

    static String ms(Optional<Long> nanos) {
        return nanos.map(n -> LatencySummary.fmt(n / 1e6)).orElse("not seen");
    }

    /** The summary table (markdown) of a run. */
    static List<String> summary(Fault fault, List<Round> rounds) {
        String f = fault.name().toLowerCase();
        List<String> lines = new ArrayList<>();
        lines.add("| fault | measure | rounds | p50 | p90 | p99 | max |");
        lines.add("|---|---|---|---|---|---|---|");
        lines.add(LatencySummary.of(present(rounds.stream().map(Round::viewChanged).toList()))
                .markdownRow(f + " | kill -> election view without it (new leader's log)"));
        lines.add(LatencySummary.of(present(rounds.stream().map(Round::elected).toList())).markdownRow(f + " | kill -> elected (log)"));
        lines.add(LatencySummary.of(present(rounds.stream().map(Round::streamOpen).toList()))
                .markdownRow(f + " | kill -> new stream open, SeekInfo sent (log)"));
        lines.add(LatencySummary.of(present(rounds.stream().map(Round::firstBlock).toList()))
                .markdownRow(f + " | kill -> first block on the new stream (log)"));
        lines.add(LatencySummary.of(rounds.stream().map(Round::polled).toList()).markdownRow(f + " | kill -> /status shows new deliverer"));
        lines.add(LatencySummary.of(present(rounds.stream().map(Round::firstBlockEverywhere).toList()))
                .markdownRow(f + " | kill -> that first block on every survivor"));
        lines.add(LatencySummary.of(present(rounds.stream().map(Round::committedEverywhere).toList()))
                .markdownRow(f + " | kill -> next block on every survivor"));
        lines.add(LatencySummary.of(present(rounds.stream().map(Round::cutAfterEverywhere).toList()))
                .markdownRow(f + " | kill -> first block cut after the kill on every survivor"));
        lines.add("");
        lines.add("warm standby connection used by the new leader in " + rounds.stream().filter(Round::standby).count()
                + " of " + rounds.size() + " rounds");
        return lines;
    }

    /**
     * Two or more algorithms under the same faults, side by side: kill -> elected (log) and kill ->
     * /status shows the new deliverer, p50 and max each, and the ratio of each one's medians to the
     * first algorithm's.
     */
    static List<String> comparison(Fault fault, Map<ElectionAlgorithm, List<Round>> runs) {
        String f = fault.name().toLowerCase();
        List<String> lines = new ArrayList<>();
        lines.add("| algorithm | rounds | " + f + " -> elected p50 | max | " + f + " -> /status deliverer p50 | max "
                + "| ratio of medians (elected, /status) |");
        lines.add("|---|---|---|---|---|---|---|");
        LatencySummary baseElected = null;
        LatencySummary basePolled = null;
        for (Map.Entry<ElectionAlgorithm, List<Round>> run : runs.entrySet()) {
            LatencySummary elected = LatencySummary.of(present(run.getValue().stream().map(Round::elected).toList()));
            LatencySummary polled = LatencySummary.of(run.getValue().stream().map(Round::polled).toList());
            if (baseElected == null) {
                baseElected = elected;
                basePolled = polled;
            }
            lines.add(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s, %s |",
                    run.getKey().name().toLowerCase(Locale.ROOT), run.getValue().size(),
                    LatencySummary.fmt(elected.p50Ms()), LatencySummary.fmt(elected.maxMs()),
                    LatencySummary.fmt(polled.p50Ms()), LatencySummary.fmt(polled.maxMs()),
                    ratio(elected.p50Ms(), baseElected.p50Ms()), ratio(polled.p50Ms(), basePolled.p50Ms())));
        }
        return lines;
    }

    private static String ratio(double value, double base) {
        return base <= 0 ? "-" : String.format(Locale.ROOT, "%.1fx", value / base);
    }

    static List<Long> present(List<Optional<Long>> values) {
        return values.stream().flatMap(Optional::stream).toList();
    }
}
