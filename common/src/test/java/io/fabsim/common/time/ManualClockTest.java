package io.fabsim.common.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

class ManualClockTest {

    private final ManualClock clock = new ManualClock();
    private final List<String> runs = new ArrayList<>();

    @Test
    void tasksRunInDueOrderWithTheClockAtTheirDueTime() {
        Scheduler scheduler = clock.newScheduler("test");
        scheduler.schedule(Duration.ofMillis(300), () -> runs.add("c@" + millis()));
        scheduler.schedule(Duration.ofMillis(100), () -> runs.add("a@" + millis()));
        scheduler.schedule(Duration.ofMillis(100), () -> runs.add("b@" + millis()));

        clock.advance(Duration.ofMillis(250));
        assertThat(runs).containsExactly("a@100", "b@100");
        assertThat(millis()).isEqualTo(250);

        clock.advance(Duration.ofMillis(50));
        assertThat(runs).containsExactly("a@100", "b@100", "c@300");
    }

    @Test
    void periodicTasksKeepTheirScheduleEvenWhenTheyThrow() {
        Scheduler scheduler = clock.newScheduler("test");
        scheduler.scheduleAtFixedRate(Duration.ofMillis(10), Duration.ofMillis(20), () -> {
            runs.add("rate@" + millis());
            throw new IllegalStateException("boom");
        });
        scheduler.scheduleWithFixedDelay(Duration.ZERO, Duration.ofMillis(25), () -> runs.add("delay@" + millis()));

        clock.advance(Duration.ofMillis(55));

        assertThat(runs).containsExactly("delay@0", "rate@10", "delay@25", "rate@30", "delay@50", "rate@50");
    }

    @Test
    void cancelledTasksAndClosedSchedulersRunNothingMore() {
        Scheduler scheduler = clock.newScheduler("test");
        Scheduler.Cancellable once = scheduler.schedule(Duration.ofMillis(10), () -> runs.add("once"));
        scheduler.scheduleAtFixedRate(Duration.ofMillis(10), Duration.ofMillis(10), () -> runs.add("tick"));
        once.cancel();

        clock.advance(Duration.ofMillis(20));
        scheduler.close();
        clock.advance(Duration.ofMillis(100));
        scheduler.schedule(Duration.ZERO, () -> runs.add("after close"));
        clock.runDueTasks();

        assertThat(runs).containsExactly("tick", "tick");
        assertThat(clock.pendingTasks()).isZero();
    }

    @Test
    void aTaskMayScheduleAnotherThatFallsDueInTheSameAdvance() {
        Scheduler scheduler = clock.newScheduler("test");
        scheduler.schedule(Duration.ofMillis(10),
                () -> scheduler.schedule(Duration.ofMillis(10), () -> runs.add("inner@" + millis())));

        clock.advance(Duration.ofMillis(30));

        assertThat(runs).containsExactly("inner@20");
    }

    @Test
    void sleepAdvancesAndRecords() throws InterruptedException {
        clock.newScheduler("test").schedule(Duration.ofMillis(100), () -> runs.add("woke@" + millis()));

        clock.sleep(Duration.ofMillis(120));

        assertThat(clock.sleeps()).containsExactly(Duration.ofMillis(120));
        assertThat(runs).containsExactly("woke@100");
    }

    @Test
    void aThreadInATimedWaitWakesUpWhenTheClockPassesItsDeadline() throws Exception {
        ReentrantLock lock = new ReentrantLock();
        Condition condition = lock.newCondition();
        long deadline = clock.nanoTime() + Duration.ofSeconds(5).toNanos();
        CompletableFuture<Long> waited = CompletableFuture.supplyAsync(() -> {
            lock.lock();
            try {
                long left = deadline - clock.nanoTime();
                while (left > 0) {
                    left = clock.awaitNanos(condition, left);
                }
                return clock.nanoTime();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            } finally {
                lock.unlock();
            }
        });
        clock.advance(Duration.ofSeconds(4));
        assertThat(waited).isNotDone();

        clock.advance(Duration.ofSeconds(2));

        assertThat(waited.get(10, TimeUnit.SECONDS)).isEqualTo(Duration.ofSeconds(6).toNanos());
    }

    private long millis() {
        return clock.nanoTime() / 1_000_000;
    }
}
