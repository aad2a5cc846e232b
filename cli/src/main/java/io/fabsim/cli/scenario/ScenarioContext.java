package io.fabsim.cli.scenario;

import io.fabsim.cli.network.NetworkControl;
import io.fabsim.cli.network.NetworkSpec;
import io.fabsim.cli.network.NetworkState;
import io.fabsim.cli.network.StatusClient;
import io.fabsim.cli.network.StatusTable;
import io.fabsim.common.time.Clock;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What a scenario acts through: fault injection by node name (each recorded on the timeline),
 * leadership queries and bounded waits over fresh {@code /status} samples, and failover timing.
 */
public final class ScenarioContext {

    private static final Duration POLL = Duration.ofMillis(50);

    private final Path dir;
    private final NetworkSpec spec;
    private final NetworkControl control;
    private final Sampler sampler;
    private final Timeline timeline;
    private final Clock clock;
    private final long startNanos;
    private final List<Timeline.Failover> failovers = new ArrayList<>();
    private final StatusClient status = new StatusClient();

    public ScenarioContext(Path dir, NetworkSpec spec, Sampler sampler, Timeline timeline, Clock clock, long startNanos) {
        this.dir = dir;
        this.spec = spec;
        this.control = new NetworkControl(dir, clock);
        this.sampler = sampler;
        this.timeline = timeline;
        this.clock = clock;
        this.startNanos = startNanos;
    }

    public NetworkSpec spec() {
        return spec;
    }

    public Path dir() {
        return dir;
    }

    public NetworkControl control() {
        return control;
    }

    public NetworkState state() throws IOException {
        return control.state();
    }

    public List<Timeline.Failover> failovers() {
        return List.copyOf(failovers);
    }

    /**
     * Records that {@code to} took over from {@code from} after {@code fault}, injected at
     * {@code faultNanos} (this clock); returns the milliseconds it took.
     */
    public long failover(String fault, String from, String to, long faultNanos) {
        long millis = (clock.nanoTime() - faultNanos) / 1_000_000;
        failovers.add(new Timeline.Failover(fault, from, to, millis));
        event("failover", to, millis + " ms after " + fault + " of " + from);
        return millis;
    }

    public void event(String kind, String node, String detail) {
        timeline.add(new Timeline.Event(elapsedMillis(), kind, node, detail));
    }

    public void kill(String node) throws IOException, InterruptedException {
        event("kill", node, "SIGKILL");
        control.kill(node);
    }

    public void pause(String node) throws IOException, InterruptedException {
        event("pause", node, "SIGSTOP");
        control.pause(node);
    }

    public void resume(String node) throws IOException, InterruptedException {
        event("resume", node, "SIGCONT");
        control.resume(node);
    }

    public void restart(String node) throws IOException, InterruptedException {
        event("restart", node, "start");
        control.restart(node);
    }

    /** Cuts peer {@code node}'s link (netns mode): it reaches neither the other peers nor the orderers. */
    public void partition(String node) throws IOException, InterruptedException {
        event("partition", node, "link down");
        control.partition(node);
    }

    /** Restores the link of a partitioned peer. */
    public void heal(String node) throws IOException, InterruptedException {
        event("heal", node, "link up");
        control.heal(node);
    }

    /** The peer of {@code org} that reports delivering {@code channel} now, if exactly one does. */
    public Optional<String> deliverer(String channel, String org) {
        List<String> d = deliverers(sampler.sampleOnce(), channel, org);
        return d.size() == 1 ? Optional.of(d.get(0)) : Optional.empty();
    }

    /** Waits until one peer of {@code org} accepted by {@code accept} delivers {@code channel}. */
    public String awaitDeliverer(String channel, String org, Predicate<String> accept, Duration bound)
            throws ScenarioFailure, InterruptedException {
        long deadline = clock.nanoTime() + bound.toNanos();
        List<String> seen = List.of();
        while (clock.nanoTime() < deadline) {
            seen = deliverers(sampler.sampleOnce(), channel, org);
            Optional<String> match = seen.stream().filter(accept).findFirst();
            if (match.isPresent()) {
                return match.get();
            }
            clock.sleep(POLL);
        }
        throw new ScenarioFailure("channel " + channel + ", " + org + ": no expected peer delivering within " + bound
                + " (delivering now: " + seen + ")");
    }

    /**
     * Kills the peer of {@code org} that delivers {@code channel} (found within {@code findBound}),
     * waits at most {@code failoverBound} for another to deliver, and records the time from the kill
     * to the first sample showing the new deliverer.
     */
    public String killDelivererAndMeasure(String channel, String org, Duration findBound, Duration failoverBound)
            throws Exception {
        String old = awaitDeliverer(channel, org, n -> true, findBound);
        long t0 = clock.nanoTime();
        kill(old);
        String next = awaitDeliverer(channel, org, n -> !n.equals(old), failoverBound);
        failover("kill", old, next, t0);
        return next;
    }

    /** Waits until {@code node} answers {@code /healthz} with 200. */
    public void awaitHealthy(String node, Duration bound) throws Exception {
        NetworkState.Node n = state().node(node).orElseThrow();
        long deadline = clock.nanoTime() + bound.toNanos();
        while (clock.nanoTime() < deadline) {
            if (status.healthy(n.operationsAddress())) {
                return;
            }
            clock.sleep(POLL);
        }
        throw new ScenarioFailure(node + ": not healthy within " + bound);
    }

    /** Waits until {@code node} has, on every channel it serves, at least the height the first orderer has now. */
    public void awaitCaughtUp(String node, Duration bound) throws Exception {
        awaitHeight(node, (table, channel) -> ordererHeight(table, channel), "the orderer's", bound);
    }

    /**
     * Waits until {@code node} has, on every channel, at least the highest height any other live peer
     * reports now (used when no orderer runs: the blocks can only come from peers).
     */
    public void awaitAsHighAsPeers(String node, Duration bound) throws Exception {
        awaitHeight(node, (table, channel) -> table.channels().getOrDefault(channel, List.of()).stream()
                .filter(r -> "peer".equals(r.role()) && r.up() && !r.node().equals(node))
                .mapToLong(StatusTable.Row::height).max().orElse(0), "the peers'", bound);
        event("caught-up", node, "from peers");
    }

    /** Waits until {@code node} has at least height {@code target} on every channel. */
    public void awaitHeightAtLeast(String node, long target, Duration bound) throws Exception {
        awaitHeight(node, (table, channel) -> target, "the target", bound);
    }

    /** The height {@code node} reports for {@code channel} now. */
    public long height(String node, String channel) throws ScenarioFailure {
        return row(sampler.sampleOnce(), channel, node).filter(StatusTable.Row::up).map(StatusTable.Row::height)
                .orElseThrow(() -> new ScenarioFailure(node + ": no height for channel " + channel + " (not up?)"));
    }

    /** Waits until {@code node} reaches, on every channel, the target computed from a sample taken now. */
    private void awaitHeight(String node, java.util.function.ToLongBiFunction<StatusTable, String> targetOf, String whose,
            Duration bound) throws Exception {
        StatusTable now = sampler.sampleOnce();
        long deadline = clock.nanoTime() + bound.toNanos();
        for (String channel : state().channels()) {
            long target = targetOf.applyAsLong(now, channel);
            while (true) {
                Optional<StatusTable.Row> row = row(sampler.sampleOnce(), channel, node);
                if (row.isPresent() && row.get().up() && row.get().height() >= target) {
                    break;
                }
                if (clock.nanoTime() > deadline) {
                    throw new ScenarioFailure(node + ": channel " + channel + ": height " + row.map(StatusTable.Row::height).orElse(-1L)
                            + " did not reach " + whose + " " + target + " within " + bound);
                }
                clock.sleep(POLL);
            }
        }
    }

    /** Waits until every live peer has at least the height that orderer {@code orderer} reports now. */
    public void awaitPeersReach(String orderer, Duration bound) throws Exception {
        StatusTable now = sampler.sampleOnce();
        long deadline = clock.nanoTime() + bound.toNanos();
        for (String channel : state().channels()) {
            long target = row(now, channel, orderer).map(StatusTable.Row::height).orElse(-1L);
            while (true) {
                List<StatusTable.Row> behind = sampler.sampleOnce().channels().getOrDefault(channel, List.of()).stream()
                        .filter(r -> "peer".equals(r.role()) && r.up() && r.height() < target).toList();
                if (behind.isEmpty()) {
                    break;
                }
                if (clock.nanoTime() > deadline) {
                    throw new ScenarioFailure("channel " + channel + ": peers behind " + orderer + "'s height " + target
                            + " after " + bound + ": " + behind.stream().map(r -> r.node() + "=" + r.height()).toList());
                }
                clock.sleep(POLL);
            }
        }
    }

    /** Waits until exactly one peer of {@code org} delivers {@code channel} in three samples in a row. */
    public void awaitSingleDeliverer(String channel, String org, Duration bound) throws Exception {
        long deadline = clock.nanoTime() + bound.toNanos();
        int stable = 0;
        List<String> seen = List.of();
        while (clock.nanoTime() < deadline) {
            seen = deliverers(sampler.sampleOnce(), channel, org);
            stable = seen.size() == 1 ? stable + 1 : 0;
            if (stable >= 3) {
                return;
            }
            clock.sleep(POLL);
        }
        throw new ScenarioFailure("channel " + channel + ", " + org + ": not exactly one deliverer within " + bound
                + " (delivering: " + seen + ")");
    }

    /** Checks that at most one peer of {@code org} delivers {@code channel}, in three samples in a row. */
    public void awaitAtMostOneDeliverer(String channel, String org, Duration bound) throws Exception {
        long deadline = clock.nanoTime() + bound.toNanos();
        int stable = 0;
        List<String> seen = List.of();
        while (clock.nanoTime() < deadline) {
            seen = deliverers(sampler.sampleOnce(), channel, org);
            stable = seen.size() <= 1 ? stable + 1 : 0;
            if (stable >= 3) {
                return;
            }
            clock.sleep(POLL);
        }
        throw new ScenarioFailure("channel " + channel + ", " + org + ": more than one deliverer after " + bound + ": " + seen);
    }

    /**
     * Samples for {@code watch} after a resume at {@code resumedNanos}: later than {@code grace} after
     * it, no two peers of {@code org} may report leader with a Deliver stream open on {@code channel}
     * (a resumed peer that was replaced must not stream again before it merged with the others).
     */
    public void checkOneStreamingLeaderAfterResume(String channel, String org, long resumedNanos, Duration grace,
                                                   Duration watch) throws Exception {
        long graceEnd = resumedNanos + grace.toNanos();
        long end = resumedNanos + watch.toNanos();
        while (clock.nanoTime() < end) {
            // the time asked, not answered: a peer answers late, with the state it had when resumed
            long at = clock.nanoTime();
            StatusTable table = sampler.sampleOnce();
            List<String> streaming = table.channels().getOrDefault(channel, List.of()).stream()
                    .filter(r -> "peer".equals(r.role()) && r.org().equals(org) && r.up() && r.leader()
                            && !r.streamingFrom().isEmpty())
                    .map(StatusTable.Row::node).toList();
            if (streaming.size() > 1 && at > graceEnd) {
                throw new ScenarioFailure("channel " + channel + ", " + org + ": " + streaming + " all report leader and "
                        + "stream from an orderer " + (at - resumedNanos) / 1_000_000 + " ms after the resume (allowed: "
                        + grace.toMillis() + " ms)");
            }
            clock.sleep(POLL);
        }
    }

    /** Waits until {@code leader} no longer delivers {@code channel} (its deliver client gave up and yielded). */
    public String awaitYield(String channel, String org, String leader, Duration bound) throws Exception {
        String other = awaitDeliverer(channel, org, n -> !n.equals(leader), bound);
        event("yield", leader, "gave up; " + other + " delivers now");
        return other;
    }

    static long ordererHeight(StatusTable table, String channel) {
        return table.channels().getOrDefault(channel, List.of()).stream()
                .filter(r -> "orderer".equals(r.role()) && r.up())
                .mapToLong(StatusTable.Row::height).max().orElse(0);
    }

    static Optional<StatusTable.Row> row(StatusTable table, String channel, String node) {
        return table.channels().getOrDefault(channel, List.of()).stream().filter(r -> r.node().equals(node)).findFirst();
    }

    /**
     * The orderer node whose Deliver stream {@code peer}'s deliver client reads for {@code channel} now,
     * from the peer's {@code deliver_client_connected{channel,endpoint} 1} gauge.
     */
    public Optional<String> ordererReadBy(String peer, String channel) throws IOException {
        NetworkState state = state();
        NetworkState.Node node = state.node(peer).orElseThrow();
        Optional<String> metrics = status.get(node.operationsAddress(), "/metrics");
        if (metrics.isEmpty()) {
            return Optional.empty();
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "^deliver_client_connected\\{([^}]*)\\} 1(\\.0)?$", java.util.regex.Pattern.MULTILINE).matcher(metrics.get());
        while (m.find()) {
            String labels = m.group(1);
            if (!labels.contains("channel=\"" + channel + "\"")) {
                continue;
            }
            java.util.regex.Matcher e = java.util.regex.Pattern.compile("endpoint=\"([^\"]+)\"").matcher(labels);
            if (e.find()) {
                String endpoint = e.group(1);
                return state.orderers().stream().filter(o -> o.grpcAddress().equals(endpoint))
                        .map(NetworkState.Node::name).findFirst();
            }
        }
        return Optional.empty();
    }

    /** Waits until {@code peer} reads {@code channel} from an orderer accepted by {@code accept}. */
    public String awaitReadingFrom(String peer, String channel, Predicate<String> accept, Duration bound)
            throws Exception {
        long deadline = clock.nanoTime() + bound.toNanos();
        Optional<String> now = Optional.empty();
        while (clock.nanoTime() < deadline) {
            now = ordererReadBy(peer, channel);
            if (now.isPresent() && accept.test(now.get())) {
                return now.get();
            }
            clock.sleep(POLL);
        }
        throw new ScenarioFailure(peer + ": channel " + channel + ": deliver client not reading from the expected orderer within "
                + bound + " (reading from: " + now.orElse("none") + ")");
    }

    /** Waits while nothing is to be done: the network runs, the sampler records. */
    public void hold(Duration duration) throws InterruptedException {
        clock.sleep(duration);
    }

    public Clock clock() {
        return clock;
    }

    public StatusTable sample() {
        return sampler.sampleOnce();
    }

    static List<String> deliverers(StatusTable table, String channel, String org) {
        return table.channels().getOrDefault(channel, List.of()).stream()
                .filter(r -> "peer".equals(r.role()) && r.org().equals(org) && r.up() && r.delivering())
                .map(StatusTable.Row::node)
                .toList();
    }

    long elapsedMillis() {
        return (clock.nanoTime() - startNanos) / 1_000_000;
    }
}
