package io.fabsim.cli.chaos;

import io.fabsim.cli.network.StatusTable;
import io.fabsim.cli.scenario.ScenarioContext;
import io.fabsim.common.time.Clock;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Injects one epoch's planned faults on time and undoes each after its hold, on the caller's
 * thread. A fault on "the leader" hits the peer the monitor last saw streaming; a fault whose target
 * is already hit (or that would leave its org with no peer unhit) is skipped and recorded as such.
 * Tells the {@link LeaderCheck} when an org's peers are hit and released, and keeps
 * {@code stoppedByNemesis} current so that the monitor tells its kills from a crash.
 */
final class Nemesis {

    /** What became of a planned fault: the node it hit and when, or why it was skipped. */
    record Outcome(Fault fault, String node, long startMillis, long endMillis, String skipped) {
        boolean injected() {
            return skipped.isEmpty();
        }
    }

    private record Action(long atMillis, int order, Fault fault, boolean inject) {
    }

    private final ScenarioContext ctx;
    private final Monitor monitor;
    private final LeaderCheck leaders;
    private final Set<String> stoppedByNemesis;
    private final Map<String, Integer> peersPerOrg;
    private final PrintWriter out;
    private final Map<Fault, Outcome> outcomes = new HashMap<>();
    private final Map<String, Fault> hit = new HashMap<>();

    Nemesis(ScenarioContext ctx, Monitor monitor, LeaderCheck leaders, Set<String> stoppedByNemesis, Topology topology,
            PrintWriter out) {
        this.ctx = ctx;
        this.monitor = monitor;
        this.leaders = leaders;
        this.stoppedByNemesis = stoppedByNemesis;
        this.peersPerOrg = new HashMap<>();
        topology.peersByOrg().forEach((org, peers) -> peersPerOrg.put(org, peers.size()));
        this.out = out;
    }

    /** Runs {@code faults} with offsets from {@code epochStartNanos}; returns what became of each, in plan order. */
    List<Outcome> run(List<Fault> faults, long epochStartNanos) throws InterruptedException {
        List<Action> actions = new ArrayList<>();
        for (int i = 0; i < faults.size(); i++) {
            Fault f = faults.get(i);
            actions.add(new Action(f.atMillis(), 2 * i + 1, f, true));
            if (f.kind() != FaultKind.RESTART) {
                actions.add(new Action(f.endMillis(), 2 * i, f, false));
            }
        }
        // undo before inject at the same instant, so that a hold that ends frees its target for the next fault
        actions.sort(Comparator.comparingLong(Action::atMillis).thenComparingInt(a -> a.inject() ? 1 : 0)
                .thenComparingInt(Action::order));
        Clock clock = ctx.clock();
        for (Action a : actions) {
            long due = epochStartNanos + a.atMillis() * 1_000_000;
            clock.sleep(java.time.Duration.ofNanos(due - clock.nanoTime()));
            if (a.inject()) {
                inject(a.fault());
            } else {
                undo(a.fault());
            }
        }
        return faults.stream().map(f -> outcomes.getOrDefault(f, new Outcome(f, "", 0, 0, "not reached"))).toList();
    }

    private void inject(Fault f) throws InterruptedException {
        long at = monitor.elapsedMillis();
        Optional<String> node = resolve(f);
        String skip = node.isEmpty() ? "no peer of " + f.target().org() + " leads " + f.target().channel()
                : hit.containsKey(node.get()) ? node.get() + " is already hit by " + hit.get(node.get()).kind().label()
                : f.kind().onPeer() && hitInOrg(f.target().org()) >= peersPerOrg.get(f.target().org()) - 1
                ? "every other peer of " + f.target().org() + " is hit" : "";
        if (!skip.isEmpty()) {
            outcomes.put(f, new Outcome(f, node.orElse(""), at, at, skip));
            out.printf(Locale.ROOT, "chaos: %s: skipped (%s)%n", f.describe().trim(), skip);
            return;
        }
        String target = node.get();
        try {
            hit.put(target, f);
            if (f.kind().onPeer()) {
                leaders.faultStarted(f.target().org(), at);
            }
            switch (f.kind()) {
                case KILL, ORDERER_KILL -> {
                    stoppedByNemesis.add(target);
                    ctx.kill(target);
                }
                case PAUSE -> ctx.pause(target);
                case PARTITION -> ctx.partition(target);
                case DELAY -> {
                    ctx.event("delay", target, "slow link");
                    ctx.control().slow(target);
                }
                case RESTART -> {
                    stoppedByNemesis.add(target);
                    ctx.restart(target);
                    release(f, target);
                }
            }
            outcomes.put(f, new Outcome(f, target, at, f.kind() == FaultKind.RESTART ? monitor.elapsedMillis() : -1, ""));
        } catch (IOException | RuntimeException e) {
            outcomes.put(f, new Outcome(f, target, at, monitor.elapsedMillis(), "failed: " + e.getMessage()));
            out.printf(Locale.ROOT, "chaos: %s on %s failed: %s%n", f.kind().label(), target, e.getMessage());
            release(f, target);
        }
    }

    private void undo(Fault f) throws InterruptedException {
        Outcome o = outcomes.get(f);
        if (o == null || !o.injected() || o.endMillis() >= 0) {
            return;
        }
        String target = o.node();
        try {
            switch (f.kind()) {
                case KILL, ORDERER_KILL -> ctx.restart(target);
                case PAUSE -> ctx.resume(target);
                case PARTITION -> ctx.heal(target);
                case DELAY -> {
                    ctx.event("undelay", target, "link restored");
                    ctx.control().unslow(target);
                }
                case RESTART -> {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            out.printf(Locale.ROOT, "chaos: undoing %s on %s failed: %s%n", f.kind().label(), target, e.getMessage());
        }
        outcomes.put(f, new Outcome(f, target, o.startMillis(), monitor.elapsedMillis(), ""));
        release(f, target);
    }

    private void release(Fault f, String target) {
        hit.remove(target);
        stoppedByNemesis.remove(target);
        if (f.kind().onPeer()) {
            leaders.faultEnded(f.target().org(), monitor.elapsedMillis());
        }
    }

    private long hitInOrg(String org) {
        return hit.values().stream().filter(f -> f.kind().onPeer() && org.equals(f.target().org())).count();
    }

    /**
     * The node a fault hits: its named node, or the peer of the org that the last sample shows
     * streaming the channel (else delivering, else marked leader: a failover may be under way).
     */
    private Optional<String> resolve(Fault f) {
        if (!f.target().isLeader()) {
            return Optional.of(f.target().node());
        }
        List<StatusTable.Row> peers = monitor.latest().channels().getOrDefault(f.target().channel(), List.of()).stream()
                .filter(r -> "peer".equals(r.role()) && r.org().equals(f.target().org()) && r.up()).toList();
        return peers.stream().filter(r -> !r.streamingFrom().isEmpty()).findFirst()
                .or(() -> peers.stream().filter(StatusTable.Row::delivering).findFirst())
                .or(() -> peers.stream().filter(StatusTable.Row::leader).findFirst())
                .map(StatusTable.Row::node);
    }
}
