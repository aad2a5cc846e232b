package io.fabsim.cli.scenario;

import io.fabsim.cli.network.NetworkState;
import io.fabsim.cli.network.StatusClient;
import io.fabsim.cli.network.StatusTable;
import io.fabsim.common.time.Clock;
import io.fabsim.common.time.Scheduler;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Polls every node's {@code /status} at a fixed interval on a scheduler of the clock's, appends samples to a
 * {@link Timeline} and keeps the latest table for checks. Stopped by {@link #close()}.
 */
public final class Sampler implements AutoCloseable {

    private final Path dir;
    private final Clock clock;
    private final long startNanos;
    private final Duration interval;
    private final Timeline timeline;
    private final StatusClient client = new StatusClient();
    private final AtomicReference<StatusTable> latest = new AtomicReference<>();
    private final Scheduler scheduler;

    public Sampler(Path dir, Clock clock, long startNanos, Duration interval, Timeline timeline) {
        this.dir = dir;
        this.clock = clock;
        this.startNanos = startNanos;
        this.interval = interval;
        this.timeline = timeline;
        this.scheduler = clock.newScheduler("status-sampler");
        scheduler.scheduleWithFixedDelay(Duration.ZERO, interval, this::sampleOnce);
    }

    public StatusTable latest() {
        StatusTable table = latest.get();
        return table != null ? table : sampleOnce();
    }

    /** Takes a fresh sample now (also recorded in the timeline). */
    public StatusTable sampleOnce() {
        NetworkState state;
        try {
            state = NetworkState.read(dir);
        } catch (IOException e) {
            return new StatusTable();
        }
        // stamped when asked: a paused node answers only once resumed, with the state it had before
        long at = (clock.nanoTime() - startNanos) / 1_000_000;
        StatusTable table = StatusTable.collect(state, client);
        for (Map.Entry<String, List<StatusTable.Row>> e : table.channels().entrySet()) {
            for (StatusTable.Row r : e.getValue()) {
                timeline.add(new Timeline.Sample(at, e.getKey(), r.node(), r.org(), "peer".equals(r.role()),
                        r.up() ? r.height() : -1,
                        r.leader(), r.delivering(), r.up() && !r.streamingFrom().isEmpty()));
            }
        }
        latest.set(table);
        return table;
    }

    @Override
    public void close() {
        scheduler.close();
    }
}
