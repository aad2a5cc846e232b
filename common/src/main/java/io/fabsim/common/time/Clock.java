package io.fabsim.common.time;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.Condition;

/**
 * The only source of time in fabsim. Production code receives a {@code Clock} and never calls
 * {@code System.currentTimeMillis}, {@code Instant.now()}, {@code Thread.sleep}, a timed
 * {@code awaitNanos} or a {@code ScheduledExecutorService} itself, so tests can drive time with
 * {@code ManualClock} (common's test-jar). The exceptions are the adapters whose timing belongs to a
 * library that runs on real time (gRPC deadlines and keepalives, JGroups' failure detection); each
 * says so in a comment.
 */
public interface Clock {

    /** Wall-clock time, for timestamps that leave the process (envelope headers, logs, reports). */
    Instant now();

    /** Monotonic nanoseconds, for measuring durations inside the process. */
    long nanoTime();

    /** Sleeps for {@code duration}; returns at once for zero or negative durations. */
    void sleep(Duration duration) throws InterruptedException;

    /**
     * A new scheduler on this clock's time; {@code threadName} names its thread (system clock). The
     * owner closes it.
     */
    Scheduler newScheduler(String threadName);

    /**
     * {@link Condition#awaitNanos} on this clock's time: waits at most {@code nanos} (the caller holds
     * the condition's lock) and returns an estimate of the time left, zero or less once it has passed.
     * Like {@code awaitNanos} it may return early (signalled or spuriously): callers wait in a loop.
     */
    long awaitNanos(Condition condition, long nanos) throws InterruptedException;

    static Clock system() {
        return SystemClock.INSTANCE;
    }
}
