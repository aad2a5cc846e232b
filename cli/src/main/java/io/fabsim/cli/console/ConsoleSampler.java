package io.fabsim.cli.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabsim.cli.network.NetworkControl;
import io.fabsim.cli.network.NetworkState;
import io.fabsim.cli.network.StatusClient;
import io.fabsim.cli.network.StatusTable;
import io.fabsim.common.time.Clock;
import io.fabsim.common.time.Scheduler;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's one sampler: every interval it reads {@code network.json}, every node's
 * {@code /status} and each orderer's admin API, builds the page's document and pushes it to every
 * connected page as a Server-Sent Event. However many pages are open, the nodes see one reader.
 * It keeps the last {@link #HISTORY} of short samples, sent to a page when it connects.
 */
final class ConsoleSampler implements AutoCloseable {

    static final Duration HISTORY = Duration.ofMinutes(5);
    /** Frames a slow page may fall behind before it is dropped (it reconnects and gets the history). */
    private static final int QUEUE = 64;

    private static final Logger log = LoggerFactory.getLogger(ConsoleSampler.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final NetworkControl control;
    private final Clock clock;
    private final long startNanos;
    private final Duration interval;
    private final ActionLog actions;
    private final FailoverTracker failovers;
    private final StatusClient status = new StatusClient();
    private final Deque<Object> history = new ArrayDeque<>();
    private final Set<BlockingQueue<String>> subscribers = new CopyOnWriteArraySet<>();
    private final Map<String, Boolean> loadEnabled = new java.util.concurrent.ConcurrentHashMap<>();
    private final Scheduler scheduler;
    private volatile String latest;

    ConsoleSampler(NetworkControl control, Clock clock, long startNanos, Duration interval, ActionLog actions) {
        this.control = control;
        this.clock = clock;
        this.startNanos = startNanos;
        this.interval = interval;
        this.actions = actions;
        this.failovers = new FailoverTracker();
        this.scheduler = clock.newScheduler("console-sampler");
    }

    ConsoleSampler start() {
        scheduler.scheduleWithFixedDelay(Duration.ZERO, interval, this::sample);
        return this;
    }

    /** Whether orderer {@code name} ran a load source at the last sample. */
    boolean loadEnabled(String name) {
        return loadEnabled.getOrDefault(name, false);
    }

    /**
     * A new page: its queue first holds the history and the latest document; the caller takes frames
     * from it until it returns false from {@link #isSubscribed} or the page goes away.
     */
    BlockingQueue<String> subscribe() {
        BlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUE);
        synchronized (history) {
            queue.add(frame("history", new ArrayList<>(history)));
        }
        String last = latest;
        if (last != null) {
            queue.add(last);
        }
        subscribers.add(queue);
        return queue;
    }

    void unsubscribe(BlockingQueue<String> queue) {
        subscribers.remove(queue);
    }

    boolean isSubscribed(BlockingQueue<String> queue) {
        return subscribers.contains(queue);
    }

    /** Samples now and pushes the result: called by the scheduler, and right after an action so the page sees it at once. */
    synchronized void sample() {
        NetworkState state;
        try {
            state = control.state();
        } catch (IOException e) {
            log.warn("Console: cannot read network.json: {}", e.getMessage());
            return;
        }
        long at = (clock.nanoTime() - startNanos) / 1_000_000; // when the reading starts
        StatusTable table = StatusTable.collect(state, status);
        Map<String, Snapshots.OrdererView> orderers = new LinkedHashMap<>();
        for (NetworkState.Node o : state.orderers()) {
            Snapshots.OrdererView view = orderer(o);
            orderers.put(o.name(), view);
            if (view.answered()) {
                loadEnabled.put(o.name(), view.loadEnabled());
            }
        }
        failovers.observe(at, table, actions);
        Map<String, Object> doc = Snapshots.build(at, state, table, orderers, actions.entries(), failovers.recent());
        synchronized (history) {
            history.addLast(doc.get("point"));
            while (history.size() > HISTORY.toMillis() / Math.max(1, interval.toMillis())) {
                history.removeFirst();
            }
        }
        String frame = frame("snapshot", doc);
        latest = frame;
        for (BlockingQueue<String> queue : subscribers) {
            if (!queue.offer(frame)) {
                subscribers.remove(queue); // too slow: its stream ends, the browser reconnects
            }
        }
    }

    private Snapshots.OrdererView orderer(NetworkState.Node node) {
        if (node.pid() <= 0) {
            return Snapshots.OrdererView.unreachable();
        }
        try {
            JsonNode load = control.load(node.name());
            Map<String, String> cutting = new LinkedHashMap<>();
            for (String channel : node.channels()) {
                cutting.put(channel, control.ordererChannel(node.name(), channel).path("status").asText("unknown"));
            }
            return new Snapshots.OrdererView(true, load.path("enabled").asBoolean(false), load.path("rate").asInt(0),
                    load.path("submitted").asLong(0), cutting);
        } catch (IOException e) {
            return Snapshots.OrdererView.unreachable();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Snapshots.OrdererView.unreachable();
        }
    }

    /** One Server-Sent Event: {@code event: NAME} and the JSON on one {@code data:} line. */
    static String frame(String event, Object value) {
        try {
            return "event: " + event + "\ndata: " + JSON.writeValueAsString(value) + "\n\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize the console's " + event, e);
        }
    }

    @Override
    public void close() {
        scheduler.close();
        subscribers.clear();
    }
}
