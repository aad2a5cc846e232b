package io.fabsim.common.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class SystemClockSchedulerTest {

    @Test
    void aPeriodicTaskThatThrowsKeepsRunningOnANamedThreadWithTheCreatorsMdc() {
        AtomicInteger runs = new AtomicInteger();
        ConcurrentHashMap<String, String> seen = new ConcurrentHashMap<>();
        MDC.put("peer", "peer0.org1");
        try (Scheduler scheduler = Clock.system().newScheduler("sched-test")) {
            MDC.clear();
            scheduler.scheduleWithFixedDelay(Duration.ZERO, Duration.ofMillis(5), () -> {
                seen.put("thread", Thread.currentThread().getName());
                seen.put("peer", String.valueOf(MDC.get("peer")));
                runs.incrementAndGet();
                throw new IllegalStateException("boom");
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() >= 3);
        }
        assertThat(seen).containsEntry("thread", "sched-test").containsEntry("peer", "peer0.org1");
    }

    @Test
    void schedulingOnAClosedSchedulerIsANoOp() {
        Scheduler scheduler = Clock.system().newScheduler("sched-closed");
        scheduler.close();
        scheduler.schedule(Duration.ZERO, () -> { }).cancel();
    }
}
