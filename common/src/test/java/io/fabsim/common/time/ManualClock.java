package io.fabsim.common.time;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A clock that moves only when told to. {@link #sleep} does not block: it records the requested
 * duration and advances the clock by it, so a backoff test can assert the exact sleep sequence.
 */
public final class ManualClock implements Clock {

    private Instant wall;
    private long nanos;
    private final List<Duration> sleeps = new ArrayList<>();

    public ManualClock() {
        this(Instant.parse("2026-11-21T09:55:30Z"));
    }

    public ManualClock(Instant start) {
        this.wall = start;
    }

    @Override
    public synchronized Instant now() {
        return wall;
    }

    @Override
    public synchronized long nanoTime() {
        return nanos;
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        synchronized (this) {
            sleeps.add(duration);
            advanceLocked(duration);
        }
    }

    public synchronized void advance(Duration duration) {
        advanceLocked(duration);
    }

    public synchronized void set(Instant instant) {
        wall = instant;
    }

    /** Every duration passed to {@link #sleep}, in order. */
    public synchronized List<Duration> sleeps() {
        return List.copyOf(sleeps);
    }

    private void advanceLocked(Duration duration) {
        if (!duration.isNegative()) {
            wall = wall.plus(duration);
            nanos += duration.toNanos();
        }
    }
}
