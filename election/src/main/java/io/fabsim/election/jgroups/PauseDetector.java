package io.fabsim.election.jgroups;

import io.fabsim.common.time.Clock;
import java.time.Duration;
import java.util.function.LongConsumer;

/**
 * Notices that this process was frozen: ticked often by a timer, it reports a gap between two ticks
 * longer than the threshold (after SIGSTOP/SIGCONT or a long GC pause every timer fires late). Pure
 * apart from the injected clock.
 */
final class PauseDetector {

    private final Clock clock;
    private final long thresholdNanos;
    private final LongConsumer onPause;
    private long lastTick;

    PauseDetector(Clock clock, Duration threshold, LongConsumer onPause) {
        this.clock = clock;
        this.thresholdNanos = threshold.toNanos();
        this.onPause = onPause;
        this.lastTick = clock.nanoTime();
    }

    /** Called by the timer; calls {@code onPause} with the gap in milliseconds when it was too long. */
    void tick() {
        long now = clock.nanoTime();
        long gap = now - lastTick;
        lastTick = now;
        if (gap > thresholdNanos) {
            onPause.accept(gap / 1_000_000L);
        }
    }
}
