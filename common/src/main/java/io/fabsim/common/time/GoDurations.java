package io.fabsim.common.time;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Go's {@code time.ParseDuration} / {@code Duration.String} for the durations Fabric stores in
 * config values ({@code BatchTimeout "250ms"}, {@code "2s"}, {@code "1m30s"}).
 */
public final class GoDurations {

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");

    private GoDurations() {
    }

    /** Parses a Go duration; throws {@link IllegalArgumentException} naming the text otherwise. */
    public static Duration parse(String text) {
        String s = text.trim();
        boolean negative = s.startsWith("-");
        if (negative || s.startsWith("+")) {
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = PART.matcher(s);
        BigDecimal nanos = BigDecimal.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            nanos = nanos.add(new BigDecimal(m.group(1).startsWith(".") ? "0" + m.group(1) : m.group(1))
                    .multiply(BigDecimal.valueOf(unitNanos(m.group(2)))));
            end = m.end();
        }
        if (end == 0 || end != s.length()) {
            throw new IllegalArgumentException("not a Go duration (like 250ms, 2s, 1m30s): \"" + text + "\"");
        }
        Duration d = Duration.ofNanos(nanos.longValue());
        return negative ? d.negated() : d;
    }

    /** Formats as Go's {@code Duration.String} ({@code 250ms}, {@code 1.5ms}, {@code 2s}, {@code 1m30s}, {@code 1h0m0s}) for non-negative durations. */
    public static String format(Duration d) {
        long nanos = d.toNanos();
        if (nanos == 0) {
            return "0s";
        }
        if (Math.abs(nanos) < 1_000_000_000L) {
            long unit = Math.abs(nanos) >= 1_000_000 ? 1_000_000 : Math.abs(nanos) >= 1_000 ? 1_000 : 1;
            String suffix = unit == 1_000_000 ? "ms" : unit == 1_000 ? "µs" : "ns";
            return BigDecimal.valueOf(nanos).divide(BigDecimal.valueOf(unit)).stripTrailingZeros().toPlainString() + suffix;
        }
        long hours = d.toHours();
        long minutes = d.toMinutesPart();
        BigDecimal seconds = BigDecimal.valueOf(d.toSecondsPart()).add(BigDecimal.valueOf(d.toNanosPart(), 9))
                .stripTrailingZeros();
        StringBuilder out = new StringBuilder();
        if (hours > 0) {
            out.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            out.append(minutes).append('m');
        }
        return out.append(seconds.toPlainString()).append('s').toString();
    }

    private static long unitNanos(String unit) {
        return switch (unit) {
            case "ns" -> 1L;
            case "us", "µs", "μs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            default -> 3_600_000_000_000L;
        };
    }
}
