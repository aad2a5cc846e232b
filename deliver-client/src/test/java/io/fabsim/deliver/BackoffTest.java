package io.fabsim.deliver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabsim.common.time.GoDurations;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff fabric = new Backoff(Duration.ofMillis(100), 1.2, Duration.ofSeconds(10));

    @Test
    void growsByTwentyPercentPerFailureFromOneHundredMilliseconds() {
        assertThat(fabric.next(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(fabric.next(2)).isEqualTo(Duration.ofMillis(120));
        assertThat(fabric.next(3)).isEqualTo(Duration.ofMillis(144));
        assertThat(fabric.next(4)).isEqualTo(Duration.ofMillis(172));
        assertThat(fabric.next(5)).isEqualTo(Duration.ofMillis(207));
    }

    @Test
    void truncatesToWholeMillisecondsAndSaturatesAtTheCapAsFabricDoes() {
        assertThat(fabric.next(26)).isEqualTo(Duration.ofMillis(9539));
        assertThat(fabric.next(27)).isEqualTo(Duration.ofSeconds(10));
        assertThat(fabric.next(1_000)).isEqualTo(Duration.ofSeconds(10));
        assertThat(fabric.next(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void isMonotonic() {
        Backoff defaults = DeliverClientConfig.defaults().backoff();
        Duration last = Duration.ZERO;
        for (int attempt = 1; attempt < 200; attempt++) {
            Duration next = defaults.next(attempt);
            assertThat(next).isGreaterThanOrEqualTo(last).isLessThanOrEqualTo(Duration.ofHours(1));
            last = next;
        }
        assertThat(last).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> fabric.next(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, 1.2, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), 1.2, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), 0.5, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void formatsDurationsAsFabricLogsThem() {
        assertThat(GoDurations.format(Duration.ofMillis(100))).isEqualTo("100ms");
        assertThat(GoDurations.format(Duration.ofMillis(9539))).isEqualTo("9.539s");
        assertThat(GoDurations.format(Duration.ofHours(1))).isEqualTo("1h0m0s");
        assertThat(GoDurations.format(Duration.ofSeconds(61))).isEqualTo("1m1s");
    }
}
