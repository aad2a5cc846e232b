package io.fabsim.cli.bench;

import java.util.Collection;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/** p50/p90/p99/max of a set of durations (nanoseconds in, milliseconds out), via HdrHistogram. */
public record LatencySummary(long count, double p50Ms, double p90Ms, double p99Ms, double maxMs) {

    /** Durations up to an hour are recorded with 3 significant digits, at microsecond resolution. */
    public static LatencySummary of(Collection<Long> nanos) {
        Histogram h = new Histogram(3_600_000_000L, 3);
        for (long n : nanos) {
            h.recordValue(Math.max(0, Math.min(3_600_000_000L, n / 1_000)));
        }
        if (h.getTotalCount() == 0) {
            return new LatencySummary(0, 0, 0, 0, 0);
        }
        return new LatencySummary(h.getTotalCount(), ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)),
                ms(h.getValueAtPercentile(99)), ms(h.getMaxValue()));
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }

    /** {@code label: n=20 p50=123.4 ms p90=... p99=... max=...}, or {@code label: no samples}. */
    public String line(String label) {
        if (count == 0) {
            return label + ": no samples";
        }
        return String.format(Locale.ROOT, "%s: n=%d p50=%s p90=%s p99=%s max=%s", label, count, fmt(p50Ms), fmt(p90Ms),
                fmt(p99Ms), fmt(maxMs));
    }

    /** {@code | label | n | p50 | p90 | p99 | max |}. */
    public String markdownRow(String label) {
        return String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s |", label, count, fmt(p50Ms), fmt(p90Ms),
                fmt(p99Ms), fmt(maxMs));
    }

    /** Milliseconds: one decimal under 100 ms, whole milliseconds above, seconds from 10 s. */
    static String fmt(double ms) {
        if (ms >= 10_000) {
            return String.format(Locale.ROOT, "%.2f s", ms / 1000);
        }
        return ms >= 100 ? String.format(Locale.ROOT, "%.0f ms", ms) : String.format(Locale.ROOT, "%.1f ms", ms);
    }
}
