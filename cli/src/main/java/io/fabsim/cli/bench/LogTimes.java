package io.fabsim.cli.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * Times of log lines of fabsim processes: each line starts with an ISO-8601 UTC timestamp in
 * milliseconds ({@code 2026-11-21T11:44:27.123Z}), written by the same machine clock as the
 * benchmark's, so a log line's time can be set against the time of a kill.
 */
final class LogTimes {

    private LogTimes() {
    }

    /** The time of the first line of {@code log} containing {@code needle} stamped at or after {@code after}. */
    static Optional<Instant> firstAfter(Path log, String needle, Instant after) throws IOException {
        return firstAfter(Files.readAllLines(log, StandardCharsets.UTF_8), needle, after);
    }

    static Optional<Instant> firstAfter(List<String> lines, String needle, Instant after) {
        return firstLineAfter(lines, needle, after).flatMap(LogTimes::timestamp);
    }

    /** The first line of {@code lines} containing {@code needle} stamped at or after {@code after}. */
    static Optional<String> firstLineAfter(List<String> lines, String needle, Instant after) {
        // Log stamps are truncated to the millisecond: compare against the kill time truncated too.
        Instant from = Instant.ofEpochMilli(after.toEpochMilli());
        for (String line : lines) {
            if (!line.contains(needle)) {
                continue;
            }
            Optional<Instant> t = timestamp(line);
            if (t.isPresent() && !t.get().isBefore(from)) {
                return Optional.of(line);
            }
        }
        return Optional.empty();
    }

    /** How many lines of {@code lines} contain {@code needle} and are stamped at or after {@code after}. */
    static long countAfter(List<String> lines, String needle, Instant after) {
        Instant from = Instant.ofEpochMilli(after.toEpochMilli());
        return lines.stream().filter(l -> l.contains(needle))
                .filter(l -> timestamp(l).map(t -> !t.isBefore(from)).orElse(false)).count();
    }

    /** The lines of a log file. */
    static List<String> read(Path log) throws IOException {
        return Files.readAllLines(log, StandardCharsets.UTF_8);
    }

    /** The leading timestamp of a log line, if it has one. */
    static Optional<Instant> timestamp(String line) {
        int space = line.indexOf(' ');
        if (space <= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(line.substring(0, space)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
