package io.fabsim.election.jgroups;

import io.fabsim.election.ElectionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The one thread on which a member's election state changes (JGroups callbacks, API calls, timers),
 * plus a separate timer thread for the pause detector, so that a slow listener on the event thread
 * is never mistaken for a frozen process. After {@link #close()} no task runs.
 */
final class EventLoop {

    private static final Logger LOG = LoggerFactory.getLogger(EventLoop.class);

    private final String nodeName;
    private final ScheduledExecutorService events;
    private final ScheduledExecutorService watchdog;
    private volatile Thread eventThread;
    private volatile boolean closed;

    EventLoop(String nodeName) {
        this.nodeName = nodeName;
        this.events = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "election-" + nodeName);
            t.setDaemon(true);
            eventThread = t;
            return t;
        });
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "election-pause-" + nodeName);
            t.setDaemon(true);
            return t;
        });
    }

    boolean closed() {
        return closed;
    }

    /** Runs {@code task} later on the event thread; dropped once closed. */
    void submit(Runnable task) {
        if (closed) {
            return;
        }
        try {
            events.execute(guarded(task));
        } catch (RejectedExecutionException e) {
            LOG.debug("{}: election closed, dropped an event", nodeName);
        }
    }

    void schedule(Runnable task, long millis) {
        if (closed) {
            return;
        }
        try {
            events.schedule(guarded(task), millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("{}: election closed, dropped a timer", nodeName);
        }
    }

    /** Runs {@code tick} every {@code periodMillis} on the watchdog thread. */
    void watch(Runnable tick, long periodMillis) {
        watchdog.scheduleAtFixedRate(() -> {
            try {
                tick.run();
            } catch (RuntimeException e) {
                LOG.error("{}: pause detector failed", nodeName, e);
            }
        }, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    /** Runs {@code task} on the event thread and waits for it (directly when already on it). */
    void await(Runnable task) {
        if (closed) {
            throw new ElectionException("node " + nodeName + ": election is closed");
        }
        if (Thread.currentThread() == eventThread) {
            guarded(task).run();
            return;
        }
        try {
            events.submit(guarded(task)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ElectionException("node " + nodeName + ": interrupted", e);
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            throw new ElectionException("node " + nodeName + ": election event failed: " + e, e);
        }
    }

    /** Stops both threads; waits for a running task unless called from the event thread itself. */
    void close() {
        closed = true;
        watchdog.shutdownNow();
        events.shutdownNow();
        if (Thread.currentThread() != eventThread) {
            try {
                events.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Runnable guarded(Runnable task) {
        return () -> {
            if (closed) {
                return;
            }
            MDC.put("peer", nodeName);
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("{}: election event failed", nodeName, e);
            } finally {
                MDC.remove("peer");
            }
        };
    }
}
