package io.fabsim.election.jgroups;

import io.fabsim.common.log.Mdc;
import io.fabsim.common.time.Clock;
import io.fabsim.common.time.Scheduler;
import io.fabsim.election.ElectionException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The one thread on which a member's election state changes (JGroups callbacks, API calls, timers),
 * plus the timers on the election's {@link Clock}: a timer hands its task to the event thread, and
 * the pause detector ticks on the timer thread itself, so that a slow listener on the event thread
 * is never mistaken for a frozen process. After {@link #close()} no task runs.
 */
final class EventLoop {

    private static final Logger LOG = LoggerFactory.getLogger(EventLoop.class);

    private final String nodeName;
    private final ExecutorService events;
    private final Scheduler timers;
    private volatile Thread eventThread;
    private volatile boolean closed;

    EventLoop(String nodeName, Clock clock) {
        this.nodeName = nodeName;
        this.events = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "election-" + nodeName);
            t.setDaemon(true);
            eventThread = t;
            return t;
        });
        this.timers = Mdc.with(Mdc.PEER, nodeName, () -> clock.newScheduler("election-timers-" + nodeName));
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

    /** Runs {@code task} on the event thread {@code millis} from now on the clock; dropped once closed. */
    void schedule(Runnable task, long millis) {
        if (!closed) {
            timers.schedule(Duration.ofMillis(millis), () -> submit(task));
        }
    }

    /** Runs {@code tick} every {@code periodMillis} on the clock, on the timer thread. */
    void watch(Runnable tick, long periodMillis) {
        Duration period = Duration.ofMillis(periodMillis);
        timers.scheduleAtFixedRate(period, period, tick);
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
            // a bound against a stuck event thread, not a protocol timer: real time
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
        timers.close();
        events.shutdownNow();
        if (Thread.currentThread() != eventThread) {
            try {
                events.awaitTermination(5, TimeUnit.SECONDS); // a bound on stopping the thread: real time
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
            MDC.put(Mdc.PEER, nodeName);
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("{}: election event failed", nodeName, e);
            } finally {
                MDC.remove(Mdc.PEER);
            }
        };
    }
}
