package io.fabsim.deliver;

import java.time.Duration;
import java.util.Objects;

/**
 * The reconnection backoff of Fabric's deliverer, as a pure function: after {@code n} consecutive
 * failures the client sleeps {@code initial × base^(n-1)}, truncated to whole milliseconds, capped
 * at {@code max}. With Fabric's values (100 ms, 1.2) the sleeps are 100, 120, 144, 172, 207 ms...
 */
public record Backoff(Duration initial, double base, Duration max) {

    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("backoff initial interval must be positive, got " + initial);
        }
        if (!(base >= 1.0) || Double.isInfinite(base)) {
            throw new IllegalArgumentException("backoff base must be a finite number >= 1.0, got " + base);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff max " + max + " is below the initial interval " + initial);
        }
    }

    /** The sleep before reconnection attempt {@code attempt} (1 = after the first failure). */
    public Duration next(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be >= 1, got " + attempt);
        }
        double nanos = initial.toNanos() * Math.pow(base, attempt - 1);
        if (!(nanos < max.toNanos())) {
            return max;
        }
        Duration d = Duration.ofNanos((long) nanos);
        return initial.toNanos() % 1_000_000 == 0 ? Duration.ofMillis(d.toMillis()) : d;
    }
}
