package io.fabsim.deliver;

import java.time.Duration;

/** Formats durations as Fabric's logs show them (Go's {@code time.Duration.String}): 100ms, 9.539s, 1h0m0s. */
final class GoDurations {

    private GoDurations() {
    }

    static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        if (d.compareTo(Duration.ofSeconds(1)) < 0) {
            long nanos = d.toNanos();
            return nanos % 1_000_000 == 0 ? nanos / 1_000_000 + "ms" : trim(nanos / 1e6) + "ms";
        }
        long hours = d.toHours();
        long minutes = d.toMinutesPart();
        String seconds = trim(d.toSecondsPart() + d.toNanosPart() / 1e9) + "s";
        if (hours > 0) {
            return hours + "h" + minutes + "m" + seconds;
        }
        return minutes > 0 ? minutes + "m" + seconds : seconds;
    }

    private static String trim(double value) {
        String s = String.format(java.util.Locale.ROOT, "%.9f", value);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
