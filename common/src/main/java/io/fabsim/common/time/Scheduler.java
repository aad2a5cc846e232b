package io.fabsim.common.time;

import java.time.Duration;

/**
 * Runs tasks later or periodically, on the time of the {@link Clock} that made it. With the system
 * clock the tasks run on one daemon thread of the scheduler's own; with {@code ManualClock}
 * (common's test-jar) they run on the thread that advances the clock, so a test steps through a
 * protocol's rounds without waiting.
 *
 * <p>A task that throws is logged and, when periodic, keeps its schedule (unlike a bare
 * {@code ScheduledExecutorService}, which silently stops it). The MDC of the thread that created the
 * scheduler ({@code peer}, {@code channel}) is set around every task.
 */
public interface Scheduler extends AutoCloseable {

    /** Runs {@code task} once after {@code delay} (at once for zero or negative). */
    Cancellable schedule(Duration delay, Runnable task);

    /** Runs {@code task} after {@code initialDelay}, then every {@code period} from the start of the previous run. */
    Cancellable scheduleAtFixedRate(Duration initialDelay, Duration period, Runnable task);

    /** Runs {@code task} after {@code initialDelay}, then {@code delay} after the end of each run. */
    Cancellable scheduleWithFixedDelay(Duration initialDelay, Duration delay, Runnable task);

    /** Cancels every task; tasks already running finish. Idempotent. */
    @Override
    void close();

    /** A scheduled task. */
    @FunctionalInterface
    interface Cancellable {
        /** Stops future runs; a run in progress finishes. Idempotent. */
        void cancel();
    }
}
