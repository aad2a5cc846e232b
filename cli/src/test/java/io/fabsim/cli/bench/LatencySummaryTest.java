package io.fabsim.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LatencySummaryTest {

    @Test
    void percentilesOfOneToHundredMilliseconds() {
        List<Long> nanos = new ArrayList<>();
        for (long ms = 1; ms <= 100; ms++) {
            nanos.add(ms * 1_000_000);
        }
        LatencySummary s = LatencySummary.of(nanos);
        assertThat(s.count()).isEqualTo(100);
        assertThat(s.p50Ms()).isCloseTo(50, org.assertj.core.data.Offset.offset(0.1));
        assertThat(s.p90Ms()).isCloseTo(90, org.assertj.core.data.Offset.offset(0.1));
        assertThat(s.p99Ms()).isCloseTo(99, org.assertj.core.data.Offset.offset(0.1));
        assertThat(s.maxMs()).isCloseTo(100, org.assertj.core.data.Offset.offset(0.1));
        assertThat(s.line("crash")).isEqualTo("crash: n=100 p50=50.0 ms p90=90.0 ms p99=99.0 ms max=100 ms");
        assertThat(s.markdownRow("crash | x")).isEqualTo("| crash | x | 100 | 50.0 ms | 90.0 ms | 99.0 ms | 100 ms |");
    }

    @Test
    void emptyAndNegativeAndHugeValues() {
        assertThat(LatencySummary.of(List.of()).line("hang")).isEqualTo("hang: no samples");
        assertThat(LatencySummary.of(List.of(-5L)).maxMs()).isZero();
        assertThat(LatencySummary.of(List.of(Long.MAX_VALUE)).maxMs()).isGreaterThan(3_000_000);
    }

    @Test
    void formatsByMagnitude() {
        assertThat(LatencySummary.fmt(3.14159)).isEqualTo("3.1 ms");
        assertThat(LatencySummary.fmt(412.6)).isEqualTo("413 ms");
        assertThat(LatencySummary.fmt(12_345)).isEqualTo("12.35 s");
    }
}
