package io.fabsim.cli.chaos;

import io.fabsim.cli.network.NetworkBuilder;
import io.fabsim.cli.network.NetworkControl;
import io.fabsim.cli.network.NetworkSpec;
import io.fabsim.cli.network.NetworkState;
import io.fabsim.cli.network.Processes;
import io.fabsim.cli.scenario.Invariants;
import io.fabsim.cli.scenario.Sampler;
import io.fabsim.cli.scenario.ScenarioContext;
import io.fabsim.cli.scenario.ScenarioFailure;
import io.fabsim.cli.scenario.ScenarioRunner;
import io.fabsim.cli.scenario.Timeline;
import io.fabsim.common.time.Clock;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A chaos run: the nemesis's schedule, printed first, then epoch by epoch a freshly started network
 * (or, with {@code attach}, the running one for the whole run), the epoch's faults under the
 * monitor, recovery and convergence, teardown, and the offline audit of every ledger. Collects the
 * violations into a {@link ChaosReport}. Whatever happens, the network it works on is torn down;
 * {@link #abort} (Ctrl-C) interrupts the run and waits for that teardown.
 */
public final class ChaosRun {

    /** What a run is asked to do. {@code attach}: the directory of a running network to use instead of starting one. */
    public record Options(NetworkSpec spec, Path reportDir, Optional<Path> attach, ChaosPlan.Settings settings,
                          Duration stableWindow, Duration sampleInterval) {
    }

    /** Bound for every process to be healthy again, and for every live node to converge, after the faults. */
    static final Duration RECOVERY_BOUND = Duration.ofSeconds(120);

    private final Clock clock;
    private final PrintWriter out;
    private final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
    private volatile Thread runner;
    private volatile Path current;

    public ChaosRun(Clock clock, PrintWriter out) {
        this.clock = clock;
        this.out = out;
    }

    /** The kinds of {@code requested} that this network can inject, and a note for each one it cannot. */
    static List<FaultKind> usable(List<FaultKind> requested, boolean netns, List<String> notes) {
        List<FaultKind> kinds = new ArrayList<>();
        for (FaultKind k : requested) {
            if (k.needsNetns() && !netns) {
                notes.add(k.label() + ": skipped, the network has no network-namespace layout (start it with "
                        + "network.netns = true, as root)");
            } else {
                kinds.add(k);
            }
        }
        return kinds;
    }

    public ChaosReport run(Options o) throws IOException, InterruptedException {
        runner = Thread.currentThread();
        long start = clock.nanoTime();
        List<String> notes = new ArrayList<>();
        boolean netns = o.attach().isPresent() ? NetworkState.read(o.attach().get()).netns() != null : o.spec().netns();
        List<FaultKind> kinds = usable(o.settings().kinds(), netns, notes);
        notes.forEach(n -> out.println("chaos: " + n));
        ChaosReport report = new ChaosReport(o.settings(), o.stableWindow(), notes, clock.now());
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("--faults: none of " + o.settings().kinds().stream().map(FaultKind::label).toList()
                    + " can run on this network");
        }
        ChaosPlan.Settings s = o.settings();
        ChaosPlan.Settings effective = new ChaosPlan.Settings(s.seed(), s.duration(),
                o.attach().isPresent() ? maxOf(s.duration(), s.freshEvery()) : s.freshEvery(), kinds, s.failureDetection());
        Topology topology = Topology.of(o.spec());
        List<Fault> plan = ChaosPlan.generate(effective, topology);
        out.printf("chaos: seed %d, %s in %d epoch(s), %d faults planned:%n", s.seed(), s.duration(), effective.epochs(),
                plan.size());
        plan.forEach(f -> out.println("  " + f.describe()));
        out.flush();
        Files.createDirectories(o.reportDir());
        try {
            for (int e = 0; e < effective.epochs() && !Thread.currentThread().isInterrupted(); e++) {
                int epoch = e;
                List<Fault> faults = plan.stream().filter(f -> f.epoch() == epoch).toList();
                new Epoch(o, epoch, faults, topology, start, effective.epochMillis(epoch)).run(report);
                report.write(o.reportDir());
            }
        } finally {
            report.finish(clock.now(), (clock.nanoTime() - start) / 1_000_000);
            report.write(o.reportDir());
            runner = null;
            done.countDown();
        }
        return report;
    }

    /** Ctrl-C: interrupts the run, waits (bounded) for it to tear its network down, then makes sure it is down. */
    public void abort(Duration bound) {
        Thread t = runner;
        if (t != null) {
            t.interrupt();
            try {
                done.await(bound.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Path dir = current;
        if (dir != null && Files.exists(NetworkState.file(dir))) {
            try {
                new NetworkControl(dir, clock).down();
            } catch (IOException | InterruptedException e) {
                out.println("chaos: teardown of " + dir + " after Ctrl-C: " + e.getMessage());
            }
        }
    }

    private static Duration maxOf(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** One epoch: a network, its faults, the checks, the teardown and the audit. */
    private final class Epoch {
        private final Options o;
        private final int epoch;
        private final List<Fault> faults;
        private final Topology topology;
        private final long runStart;
        private final long lengthMillis;

        Epoch(Options o, int epoch, List<Fault> faults, Topology topology, long runStart, long lengthMillis) {
            this.o = o;
            this.epoch = epoch;
            this.faults = faults;
            this.topology = topology;
            this.runStart = runStart;
            this.lengthMillis = lengthMillis;
        }

        void run(ChaosReport report) throws IOException, InterruptedException {
            Path dir = o.attach().orElse(o.reportDir().resolve("epoch-" + epoch));
            NetworkControl control = new NetworkControl(dir, clock);
            long seed = o.settings().seed();
            NetworkState state;
            try {
                current = dir;
                if (o.attach().isEmpty()) {
                    ScenarioRunner.clearEarlierRun(dir, control);
                    out.printf("chaos: epoch %d: starting a fresh network in %s%n", epoch, dir);
                    state = new NetworkBuilder(clock, out).up(o.spec(), dir, NetworkBuilder.Options.defaults());
                } else {
                    state = NetworkState.read(dir);
                    requireRunning(state);
                }
                state = underFaults(dir, report);
            } finally {
                // an interrupted run (Ctrl-C) still tears down: the stop waits must not be cut short
                boolean interrupted = Thread.interrupted();
                try {
                    if (Files.exists(NetworkState.file(dir))) {
                        control.down();
                    }
                    current = null;
                } finally {
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            ChainAudit.Result audit = ChainAudit.audit(state, epoch, seed);
            report.addAudit(audit);
            out.printf("chaos: epoch %d: %d blocks verified offline, %d violation(s) so far%n", epoch, audit.blocks(),
                    report.violations().size());
        }

        private NetworkState underFaults(Path dir, ChaosReport report) throws IOException, InterruptedException {
            long seed = o.settings().seed();
            Timeline timeline = new Timeline();
            LeaderCheck leaders = new LeaderCheck(o.stableWindow().toMillis());
            Set<String> stopped = ConcurrentHashMap.newKeySet();
            Monitor.Run monitorRun = new Monitor.Run(dir, clock, runStart, epoch, seed);
            try (Sampler sampler = new Sampler(dir, clock, runStart, Duration.ofDays(1), timeline);
                 Monitor monitor = new Monitor(monitorRun, o.sampleInterval(), leaders, stopped)) {
                topology.peersByOrg().keySet().forEach(org -> leaders.disturbed(org, monitor.elapsedMillis()));
                ScenarioContext ctx = new ScenarioContext(dir, o.spec(), sampler, timeline, clock, runStart);
                awaitFirstSample(monitor);
                long epochStart = clock.nanoTime();
                out.printf("chaos: epoch %d: injecting %d faults over %.0f s%n", epoch, faults.size(), lengthMillis / 1000.0);
                List<Nemesis.Outcome> outcomes = new Nemesis(ctx, monitor, leaders, stopped, topology, out).run(faults, epochStart);
                report.addOutcomes(outcomes);
                clock.sleep(Duration.ofNanos(epochStart + lengthMillis * 1_000_000 - clock.nanoTime()));
                ctx.event("check", "all", "faults over: recovery and convergence");
                recover(ctx, monitor, report);
                // the last samples must show a stable view: wait out the window, plus a few samples
                ctx.hold(o.stableWindow().plus(o.sampleInterval().multipliedBy(4)));
                for (Violation v : monitor.exits()) {
                    report.addViolation(v);
                }
            }
            for (LeaderCheck.Episode ep : leaders.finish()) {
                report.addEpisode(epoch, seed, ep);
            }
            return NetworkState.read(dir);
        }

        private void recover(ScenarioContext ctx, Monitor monitor, ChaosReport report) throws IOException, InterruptedException {
            long seed = o.settings().seed();
            for (NetworkState.Node node : ctx.state().processes()) {
                try {
                    ctx.awaitHealthy(node.name(), RECOVERY_BOUND);
                } catch (Exception e) {
                    long at = monitor.elapsedMillis();
                    report.addViolation(new Violation("not-recovered", epoch, at, at, null, node.org(), List.of(node.name()),
                            seed, node.name() + " not healthy within " + RECOVERY_BOUND + " after the last fault; see "
                            + node.logFile()));
                }
            }
            try {
                long blocks = Invariants.awaitConvergence(ctx, RECOVERY_BOUND);
                out.printf("chaos: epoch %d: every live node converged at %d blocks%n", epoch, blocks);
            } catch (ScenarioFailure e) {
                long at = monitor.elapsedMillis();
                report.addViolation(new Violation("no-convergence", epoch, at, at, null, null, List.of(), seed, e.getMessage()));
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                long at = monitor.elapsedMillis();
                report.addViolation(new Violation("no-convergence", epoch, at, at, null, null, List.of(), seed,
                        e.getClass().getSimpleName() + ": " + e.getMessage()));
            }
        }

        private void awaitFirstSample(Monitor monitor) throws InterruptedException {
            long deadline = clock.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (monitor.latest().channels().isEmpty() && clock.nanoTime() < deadline) {
                clock.sleep(Duration.ofMillis(50));
            }
        }
    }

    private void requireRunning(NetworkState state) throws IOException {
        Processes processes = new Processes(clock);
        List<String> notRunning = state.processes().stream().filter(n -> !processes.isOurs(n.pid(), n.configFile()))
                .map(NetworkState.Node::name).toList();
        if (!notRunning.isEmpty()) {
            throw new IOException("--dir " + state.dir() + ": expected a running network, but " + notRunning + " do not run");
        }
    }
}
