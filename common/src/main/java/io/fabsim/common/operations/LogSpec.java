package io.fabsim.common.operations;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A Fabric log specification: {@code [<logger>[,<logger>...]=]<level>[:[<logger>...=]<level>...]},
 * e.g. {@code info:io.fabsim.gossip,io.fabsim.election=debug}. A term without loggers sets the
 * default (root) level; logger names match by prefix along dots, as in Fabric and logback. Levels are
 * Fabric's (debug, info, warn/warning, error, dpanic, panic, fatal; the last three map to error) plus
 * trace.
 *
 * @param spec the text as given
 * @param defaultLevel the root level (upper case, a logback level name), info when the spec names none
 * @param loggers logger name to level, in the order given
 */
public record LogSpec(String spec, String defaultLevel, Map<String, String> loggers) {

    public LogSpec {
        loggers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(loggers));
    }

    /** Parses {@code spec}; an {@link IllegalArgumentException} names the term that is wrong. */
    public static LogSpec parse(String spec) {
        String text = spec == null ? "" : spec.trim();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("invalid logging specification: empty");
        }
        String defaultLevel = "INFO";
        Map<String, String> loggers = new LinkedHashMap<>();
        for (String term : text.split(":")) {
            String[] sides = term.split("=", -1);
            if (sides.length == 1) {
                defaultLevel = level(term, sides[0]);
            } else if (sides.length == 2) {
                String level = level(term, sides[1]);
                for (String name : sides[0].split(",")) {
                    String logger = name.trim();
                    if (logger.isEmpty() || !logger.matches("[A-Za-z0-9_$.\\-]+")) {
                        throw new IllegalArgumentException("invalid logging specification: bad logger name \""
                                + name + "\" in \"" + term + "\"");
                    }
                    loggers.put(logger, level);
                }
            } else {
                throw new IllegalArgumentException("invalid logging specification: more than one '=' in \"" + term + "\"");
            }
        }
        return new LogSpec(text, defaultLevel, loggers);
    }

    private static String level(String term, String raw) {
        String level = raw.trim().toLowerCase(Locale.ROOT);
        return switch (level) {
            case "trace" -> "TRACE";
            case "debug" -> "DEBUG";
            case "info" -> "INFO";
            case "warn", "warning" -> "WARN";
            case "error", "dpanic", "panic", "fatal" -> "ERROR";
            default -> throw new IllegalArgumentException("invalid logging specification: unknown level \"" + raw.trim()
                    + "\" in \"" + term + "\" (expected trace, debug, info, warn, error, dpanic, panic or fatal)");
        };
    }
}
