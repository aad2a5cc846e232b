package io.fabsim.cli.chaos;

import io.fabsim.cli.network.NetworkState;
import io.fabsim.cli.network.Processes;
import io.fabsim.cli.network.StatusClient;
import io.fabsim.cli.network.StatusTable;
import io.fabsim.common.time.Clock;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Watches a network during a chaos epoch on a daemon thread: every {@code interval} it reads every
 * node's {@code /status} at once (a paused node must not delay the others' samples), feeds the
 * sample to the {@link LeaderCheck} (an org with a peer that runs but does not answer, because it
 * is starting, paused or cut off, counts as disturbed), and checks that every process the nemesis did not stop still
 * runs (no process exits on its own). Stopped by {@link #close()}.
 */
final class Monitor implements AutoCloseable {

    private final Path dir;
    private final Clock clock;
    private final long runStart;
    private final Duration interval;
    private final LeaderCheck leaders;
    private final Set<String> stoppedByNemesis;
    private final int epoch;
    private final long seed;
    private final Processes processes;
    private final StatusClient client = new StatusClient();
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "chaos-status");
        t.setDaemon(true);
        return t;
    });
    private final List<Violation> exits = new ArrayList<>();
    private final Set<Long> reportedPids = ConcurrentHashMap.newKeySet();
    private final AtomicReference<StatusTable> latest = new AtomicReference<>(new StatusTable());
    private final Thread thread;
    private volatile boolean running = true;

    /** What a monitor needs from its run: where the network is, the run's start and its seed. */
    record Run(Path dir, Clock clock, long startNanos, int epoch, long seed) {
    }

    Monitor(Run run, Duration interval, LeaderCheck leaders, Set<String> stoppedByNemesis) {
        this.dir = run.dir();
        this.clock = run.clock();
        this.runStart = run.startNanos();
        this.epoch = run.epoch();
        this.seed = run.seed();
        this.interval = interval;
        this.leaders = leaders;
        this.stoppedByNemesis = stoppedByNemesis;
        this.processes = new Processes(clock);
        this.thread = new Thread(this::loop, "chaos-monitor");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** The last sample taken (empty before the first). */
    StatusTable latest() {
        return latest.get();
    }

    synchronized List<Violation> exits() {
        return List.copyOf(exits);
    }

    long elapsedMillis() {
        return (clock.nanoTime() - runStart) / 1_000_000;
    }

    private void loop() {
        while (running) {
            try {
                NetworkState state = NetworkState.read(dir);
                long at = elapsedMillis();
                StatusTable table = sample(state);
                latest.set(table);
                for (String org : silentOrgs(state, table, n -> processes.isOurs(n.pid(), n.configFile()))) {
                    leaders.disturbed(org, at);
                }
                leaders.observe(at, table);
                checkExits(NetworkState.read(dir), at);
                clock.sleep(interval);
            } catch (InterruptedException e) {
                return;
            } catch (IOException | ExecutionException e) {
                // network.json is rewritten atomically; a failed read is retried at the next tick
            }
        }
    }

    /** Every node's status, read in parallel and merged in the order of {@code network.json}. */
    StatusTable sample(NetworkState state) throws InterruptedException, ExecutionException {
        List<Future<StatusTable>> parts = new ArrayList<>();
        for (NetworkState.Node node : state.processes()) {
            NetworkState one = new NetworkState(state.dir(), state.channels(), state.javaOpts(), List.of(node), state.netns());
            parts.add(pool.submit(() -> StatusTable.collect(one, client)));
        }
        StatusTable table = new StatusTable();
        state.channels().forEach(c -> table.channels().put(c, new ArrayList<>()));
        for (Future<StatusTable> part : parts) {
            StatusTable one = part.get();
            one.channels().forEach((channel, rows) -> table.channels().get(channel).addAll(rows));
            table.electionViews().putAll(one.electionViews());
        }
        return table;
    }

    /**
     * The orgs with a peer whose process runs but that does not serve its channels: it is starting
     * (and joins the org's view while it does), paused or cut off. Their views are not stable.
     */
    static Set<String> silentOrgs(NetworkState state, StatusTable table, java.util.function.Predicate<NetworkState.Node> alive) {
        Set<String> answering = new java.util.HashSet<>();
        table.channels().values().forEach(rows -> rows.stream().filter(StatusTable.Row::up)
                .forEach(r -> answering.add(r.node())));
        Set<String> orgs = new java.util.TreeSet<>();
        for (NetworkState.Node node : state.peers()) {
            if (node.pid() > 0 && !answering.contains(node.name()) && alive.test(node)) {
                orgs.add(node.org());
            }
        }
        return orgs;
    }

    private void checkExits(NetworkState state, long at) {
        for (NetworkState.Node node : state.processes()) {
            if (node.pid() <= 0 || stoppedByNemesis.contains(node.name()) || reportedPids.contains(node.pid())) {
                continue;
            }
            if (!processes.isOurs(node.pid(), node.configFile())) {
                // the nemesis may have restarted it between the two reads: only a pid still recorded counts
                boolean stillRecorded = readQuietly().flatMap(s -> s.node(node.name()))
                        .map(n -> n.pid() == node.pid()).orElse(false);
                if (stillRecorded && !stoppedByNemesis.contains(node.name())) {
                    reportedPids.add(node.pid());
                    synchronized (this) {
                        exits.add(new Violation("exited", epoch, at, at, null, node.org(), List.of(node.name()), seed,
                                node.name() + " (pid " + node.pid() + ") exited on its own; see " + node.logFile()));
                    }
                }
            }
        }
    }

    private java.util.Optional<NetworkState> readQuietly() {
        try {
            return java.util.Optional.of(NetworkState.read(dir));
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.shutdownNow();
    }
}
