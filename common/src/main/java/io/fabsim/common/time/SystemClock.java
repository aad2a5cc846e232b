package io.fabsim.common.time;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.Condition;

/** The real clock. */
final class SystemClock implements Clock {

    static final SystemClock INSTANCE = new SystemClock();

    private SystemClock() {
    }

    @Override
    public Instant now() {
        return Instant.now();
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        if (!duration.isNegative() && !duration.isZero()) {
            Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
        }
    }

    @Override
    public Scheduler newScheduler(String threadName) {
        return new ExecutorScheduler(threadName);
    }

    @Override
    public long awaitNanos(Condition condition, long nanos) throws InterruptedException {
        return condition.awaitNanos(nanos);
    }

    @Override
    public String toString() {
        return "SystemClock";
    }
}
