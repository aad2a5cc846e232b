package io.fabsim.cli.scenario;

import io.fabsim.cli.console.ConsoleServer;
import io.fabsim.cli.network.LiveView;
import io.fabsim.cli.network.NetworkBuilder;
import io.fabsim.cli.network.NetworkControl;
import io.fabsim.cli.network.NetworkSpec;
import io.fabsim.cli.network.StatusTable;
import io.fabsim.common.config.HostPort;
import io.fabsim.common.time.Clock;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The demo: brings up a network, shows a live view of every node's height and leadership about
 * twice a second, kills the leader of one org after a few seconds, shows the new leader taking
 * over and every peer converging, prints a summary and tears everything down (also on Ctrl-C).
 */
public final class Demo {

    private static final Duration FRAME = Duration.ofMillis(500);

    private final Clock clock;
    private final PrintWriter out;
    private final boolean terminal;
    private final List<String> notes = new CopyOnWriteArrayList<>();
    private final Optional<HostPort> console;
    private String title = "fabsim demo";

    /** {@code console}: where to serve the web console during the demo; then the network stays up until Ctrl-C. */
    public Demo(Clock clock, PrintWriter out, boolean terminal, Optional<HostPort> console) {
        this.clock = clock;
        this.out = out;
        this.terminal = terminal;
        this.console = console;
    }

    /** Runs the demo; returns true when every peer converged with the orderer at the end. */
    public boolean run(NetworkSpec spec, Path dir, Duration before, Duration after) throws Exception {
        NetworkControl control = new NetworkControl(dir, clock);
        AtomicBoolean down = new AtomicBoolean();
        Thread hook = new Thread(() -> teardown(control, down), "demo-teardown");
        Runtime.getRuntime().addShutdownHook(hook);
        long start = clock.nanoTime();
        Timeline timeline = new Timeline();
        title = String.format("fabsim demo: %d orgs, %d peers, %d orderers, channels %s", spec.orgs().size(),
                spec.orgs().stream().mapToInt(o -> o.peers().size()).sum(), spec.orderers().size(),
                spec.channels().stream().map(NetworkSpec.Channel::name).toList());
        try {
            new NetworkBuilder(clock, out).up(spec, dir, NetworkBuilder.Options.defaults());
            Optional<ConsoleServer> web = console.isEmpty() ? Optional.empty()
                    : Optional.of(ConsoleServer.start(dir, console.get(), false, clock));
            web.ifPresent(c -> notes.add("web console: " + c.url()));
            try (Sampler sampler = new Sampler(dir, clock, start, Duration.ofMillis(250), timeline)) {
                ScenarioContext ctx = new ScenarioContext(dir, spec, sampler, timeline, clock, start);
                String channel = spec.channels().get(0).name();
                String org = spec.channels().get(0).orgs().get(0);
                show(sampler, clock.nanoTime() + before.toNanos());
                String old = ctx.awaitDeliverer(channel, org, n -> true, Scenarios.FAILOVER_BOUND);
                notes.add("killing " + old + " (kill -9), the leader of " + org + " on " + channel + " ...");
                String next = ctx.killDelivererAndMeasure(channel, org, Scenarios.FAILOVER_BOUND, Scenarios.FAILOVER_BOUND);
                long failover = ctx.failovers().get(0).millis();
                notes.add(next + " took over: delivering " + failover + " ms after the kill (sampled every 50 ms)");
                show(sampler, clock.nanoTime() + after.toNanos());
                notes.add("pausing block cutting to compare every ledger with the orderer ...");
                long blocks = Invariants.awaitConvergence(ctx, ScenarioRunner.CONVERGE_BOUND);
                StatusTable last = sampler.sampleOnce();
                frame(last);
                summary(last, failover, old, next, blocks);
                if (web.isPresent()) {
                    out.println("demo: the web console stays on " + web.get().url() + " with the network until Ctrl-C "
                            + "(block cutting is paused: resume it from the console's Orderers section)");
                    out.flush();
                    new CountDownLatch(1).await(); // until Ctrl-C: the shutdown hook tears the network down
                }
                return true;
            }
        } catch (ScenarioFailure e) {
            out.println("demo: " + e.getMessage());
            return false;
        } finally {
            teardown(control, down);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // the JVM is already shutting down (Ctrl-C): the hook runs the teardown
            }
        }
    }

    private void show(Sampler sampler, long untilNanos) throws InterruptedException {
        while (clock.nanoTime() < untilNanos) {
            frame(sampler.latest());
            clock.sleep(FRAME);
        }
    }

    private void frame(StatusTable table) {
        String picture = LiveView.render(table, title, notes);
        if (terminal) {
            out.print("\033[H\033[2J");
        }
        out.print(picture);
        out.flush();
    }

    private void summary(StatusTable table, long failover, String old, String next, long blocks) {
        List<String> lines = new ArrayList<>();
        lines.add("");
        lines.add("Summary");
        lines.add("  failover: " + old + " killed, " + next + " delivering after " + failover + " ms");
        table.channels().forEach((channel, rows) -> {
            long height = rows.stream().filter(r -> "orderer".equals(r.role()) && r.up()).mapToLong(StatusTable.Row::height).max().orElse(0);
            long live = rows.stream().filter(StatusTable.Row::up).count();
            lines.add("  channel " + channel + ": height " + height + " on the orderer; " + live + " live nodes, all at that "
                    + "height with the same current block hash");
        });
        lines.add("  blocks compared: " + blocks + "; the killed peer stays down (restart it with network restart)");
        lines.forEach(out::println);
        out.flush();
    }

    private void teardown(NetworkControl control, AtomicBoolean down) {
        if (down.compareAndSet(false, true)) {
            out.println("demo: stopping the network ...");
            out.flush();
            try {
                control.down();
            } catch (java.io.IOException e) {
                out.println("demo: nothing to stop (" + e.getMessage() + ")");
            } catch (Exception e) {
                out.println("demo: teardown: " + e.getMessage());
            }
            out.flush();
        }
    }
}
