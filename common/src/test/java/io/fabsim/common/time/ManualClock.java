package io.fabsim.common.time;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A clock that moves only when told to. {@link #advance} runs, on the calling thread and in time
 * order, every task of this clock's schedulers that falls due, with the clock set to each task's
 * due time while it runs. {@link #sleep} does not block: it records the requested duration and
 * advances the clock by it, so a backoff test can assert the exact sleep sequence.
 * {@link #awaitNanos} waits on the condition for at most a millisecond of real time and reports the
 * time left on this clock, so a thread in a timed wait wakes up once a test advances past its deadline.
 */
public final class ManualClock implements Clock {

    private static final Logger log = LoggerFactory.getLogger(ManualClock.class);
    private static final long REAL_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private Instant wall;
    private long nanos;
    private long sequence;
    private final List<Duration> sleeps = new ArrayList<>();
    private final PriorityQueue<Task> tasks = new PriorityQueue<>();

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
        }
        advance(duration);
    }

    @Override
    public Scheduler newScheduler(String threadName) {
        return new ManualScheduler(threadName);
    }

    @Override
    public long awaitNanos(Condition condition, long timeoutNanos) throws InterruptedException {
        long deadline = nanoTime() + timeoutNanos;
        if (timeoutNanos > 0) {
            condition.awaitNanos(Math.min(timeoutNanos, REAL_WAIT_NANOS));
        }
        return deadline - nanoTime();
    }

    /** Moves time forward by {@code duration}, running every task that falls due on the way. */
    public void advance(Duration duration) {
        if (duration.isNegative()) {
            return;
        }
        long target;
        synchronized (this) {
            target = nanos + duration.toNanos();
        }
        Task task;
        while ((task = nextDue(target)) != null) {
            task.run();
        }
        synchronized (this) {
            moveTo(target);
        }
    }

    /** Runs the tasks due now (scheduled with no delay, or left behind by a task). */
    public void runDueTasks() {
        advance(Duration.ZERO);
    }

    public synchronized void set(Instant instant) {
        wall = instant;
    }

    /** Every duration passed to {@link #sleep}, in order. */
    public synchronized List<Duration> sleeps() {
        return List.copyOf(sleeps);
    }

    /** How many tasks wait to run (cancelled ones excluded). */
    public synchronized int pendingTasks() {
        return (int) tasks.stream().filter(t -> !t.cancelled && !t.owner.closed).count();
    }

    private synchronized Task nextDue(long target) {
        while (!tasks.isEmpty() && tasks.peek().due <= target) {
            Task task = tasks.poll();
            if (!task.cancelled && !task.owner.closed) {
                moveTo(Math.max(nanos, task.due));
                return task;
            }
        }
        return null;
    }

    private void moveTo(long target) {
        if (target > nanos) {
            wall = wall.plusNanos(target - nanos);
            nanos = target;
        }
    }

    private synchronized Task add(ManualScheduler owner, long delayNanos, long period, boolean fixedRate, Runnable body) {
        Task task = new Task(owner, nanos + Math.max(0, delayNanos), sequence++, period, fixedRate, body);
        if (!owner.closed) {
            tasks.add(task);
        } else {
            task.cancelled = true;
        }
        return task;
    }

    private synchronized void requeue(Task task) {
        if (task.cancelled || task.owner.closed) {
            return;
        }
        task.due = task.fixedRate ? task.due + task.period : nanos + task.period;
        task.seq = sequence++;
        tasks.add(task);
    }

    private final class Task implements Comparable<Task>, Scheduler.Cancellable {
        final ManualScheduler owner;
        long due;
        long seq;
        final long period;
        final boolean fixedRate;
        final Runnable body;
        volatile boolean cancelled;

        Task(ManualScheduler owner, long due, long seq, long period, boolean fixedRate, Runnable body) {
            this.owner = owner;
            this.due = due;
            this.seq = seq;
            this.period = period;
            this.fixedRate = fixedRate;
            this.body = body;
        }

        void run() {
            Map<String, String> saved = MDC.getCopyOfContextMap();
            if (owner.mdc != null) {
                MDC.setContextMap(owner.mdc);
            }
            try {
                body.run();
            } catch (RuntimeException | Error e) {
                log.warn("scheduler {}: task failed: {}", owner.name, e.toString(), e);
            } finally {
                if (saved != null) {
                    MDC.setContextMap(saved);
                } else {
                    MDC.clear();
                }
            }
            if (period > 0) {
                requeue(this);
            }
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Task other) {
            int byDue = Long.compare(due, other.due);
            return byDue != 0 ? byDue : Long.compare(seq, other.seq);
        }
    }

    private final class ManualScheduler implements Scheduler {
        final String name;
        final Map<String, String> mdc = MDC.getCopyOfContextMap();
        volatile boolean closed;

        ManualScheduler(String name) {
            this.name = name;
        }

        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
            return add(this, delay.toNanos(), 0, false, task);
        }

        @Override
        public Cancellable scheduleAtFixedRate(Duration initialDelay, Duration period, Runnable task) {
            ExecutorScheduler.requirePositive(period);
            return add(this, initialDelay.toNanos(), period.toNanos(), true, task);
        }

        @Override
        public Cancellable scheduleWithFixedDelay(Duration initialDelay, Duration delay, Runnable task) {
            ExecutorScheduler.requirePositive(delay);
            return add(this, initialDelay.toNanos(), delay.toNanos(), false, task);
        }

        @Override
        public void close() {
            closed = true;
        }

        @Override
        public String toString() {
            return "ManualScheduler[" + name + "]";
        }
    }
}
