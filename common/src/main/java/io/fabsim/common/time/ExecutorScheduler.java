package io.fabsim.common.time;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** The system clock's scheduler: one daemon thread, named by its owner. */
final class ExecutorScheduler implements Scheduler {

    private static final Logger log = LoggerFactory.getLogger(ExecutorScheduler.class);

    private final String name;
    private final ScheduledThreadPoolExecutor executor;

    ExecutorScheduler(String name) {
        this.name = name;
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        this.executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(() -> {
                if (mdc != null) {
                    MDC.setContextMap(mdc);
                }
                runnable.run();
            }, name);
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        return submit(() -> executor.schedule(guarded(task), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS));
    }

    @Override
    public Cancellable scheduleAtFixedRate(Duration initialDelay, Duration period, Runnable task) {
        requirePositive(period);
        return submit(() -> executor.scheduleAtFixedRate(guarded(task), Math.max(0, initialDelay.toNanos()),
                period.toNanos(), TimeUnit.NANOSECONDS));
    }

    @Override
    public Cancellable scheduleWithFixedDelay(Duration initialDelay, Duration delay, Runnable task) {
        requirePositive(delay);
        return submit(() -> executor.scheduleWithFixedDelay(guarded(task), Math.max(0, initialDelay.toNanos()),
                delay.toNanos(), TimeUnit.NANOSECONDS));
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    private interface Submission {
        ScheduledFuture<?> submit();
    }

    /** Scheduling on a closed scheduler is a no-op: owners close it while callbacks may still arrive. */
    private Cancellable submit(Submission submission) {
        try {
            ScheduledFuture<?> future = submission.submit();
            return () -> future.cancel(false);
        } catch (RejectedExecutionException e) {
            log.debug("scheduler {} is closed: task not scheduled", name);
            return () -> { };
        }
    }

    private Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                if (executor.isShutdown()) {
                    // closed while the task ran (its I/O interrupted): expected, not a failure
                    log.debug("scheduler {}: task ended by close: {}", name, e.toString());
                } else {
                    log.warn("scheduler {}: task failed: {}", name, e.toString(), e);
                }
            }
        };
    }

    static void requirePositive(Duration period) {
        if (period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("period must be positive, got " + period);
        }
    }

    @Override
    public String toString() {
        return "ExecutorScheduler[" + name + "]";
    }
}
