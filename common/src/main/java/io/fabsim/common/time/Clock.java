package io.fabsim.common.time;

import java.time.Duration;
import java.time.Instant;

/**
 * The only source of time in fabsim. Production code receives a {@code Clock} and never calls
 * {@code System.currentTimeMillis}, {@code Instant.now()} or {@code Thread.sleep} itself, so tests
 * can drive time with {@code ManualClock} (common's test-jar).
 */
public interface Clock {

    /** Wall-clock time, for timestamps that leave the process (envelope headers, logs, reports). */
    Instant now();

    /** Monotonic nanoseconds, for measuring durations inside the process. */
    long nanoTime();

    /** Sleeps for {@code duration}; returns at once for zero or negative durations. */
    void sleep(Duration duration) throws InterruptedException;

    static Clock system() {
        return SystemClock.INSTANCE;
    }
}
