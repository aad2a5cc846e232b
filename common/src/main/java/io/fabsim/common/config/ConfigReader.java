package io.fabsim.common.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.fabsim.common.time.GoDurations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed, validated reads from a loaded configuration. Every failure is a {@link ConfigException}
 * naming the key path, the value found and what was expected. Module config records
 * ({@code XxxConfig.from(reader)}) are the only callers; nothing else reads HOCON.
 */
public final class ConfigReader {

    private final Config config;
    private final Config reference;
    private final Path baseDir;
    private final List<String> warnings;

    ConfigReader(Config config, Config reference, Path baseDir) {
        this(config, reference, baseDir, List.of());
    }

    ConfigReader(Config config, Config reference, Path baseDir, List<String> warnings) {
        this.config = config;
        this.reference = reference;
        this.baseDir = baseDir;
        this.warnings = List.copyOf(warnings);
    }

    /**
     * What loading ignored, for the process to log once at start-up: the keys of Fabric's file
     * that fabsim does not model, and environment variables that match no key.
     */
    public List<String> warnings() {
        return warnings;
    }

    public Config config() {
        return config;
    }

    /** The directory relative paths are resolved against (the config file's directory). */
    public Path baseDir() {
        return baseDir;
    }

    public boolean has(String path) {
        return config.hasPath(path);
    }

    public String string(String path) {
        ConfigValue value = value(path);
        if (value.valueType() == ConfigValueType.OBJECT || value.valueType() == ConfigValueType.LIST) {
            throw wrong(path, "a string", value);
        }
        return String.valueOf(value.unwrapped());
    }

    public String nonEmptyString(String path) {
        String s = string(path);
        if (s.isBlank()) {
            throw new ConfigException(path, "expected a non-empty string, got \"\"");
        }
        return s;
    }

    public Optional<String> optionalString(String path) {
        if (!config.hasPath(path)) {
            return Optional.empty();
        }
        String s = string(path);
        return s.isBlank() ? Optional.empty() : Optional.of(s);
    }

    public boolean bool(String path) {
        try {
            return config.getBoolean(path);
        } catch (com.typesafe.config.ConfigException.WrongType e) {
            throw wrong(path, "a boolean (true or false)", value(path));
        }
    }

    public int intInRange(String path, int min, int max) {
        long v = longInRange(path, min, max);
        return (int) v;
    }

    public long longInRange(String path, long min, long max) {
        long v;
        try {
            v = config.getLong(path);
        } catch (com.typesafe.config.ConfigException.WrongType e) {
            throw wrong(path, "an integer", value(path));
        }
        if (v < min || v > max) {
            throw new ConfigException(path, "expected an integer from " + min + " to " + max + ", got " + v);
        }
        return v;
    }

    public double doubleInRange(String path, double min, double max) {
        double v;
        try {
            v = config.getDouble(path);
        } catch (com.typesafe.config.ConfigException.WrongType e) {
            throw wrong(path, "a number", value(path));
        }
        if (v < min || v > max) {
            throw new ConfigException(path, "expected a number from " + min + " to " + max + ", got " + v);
        }
        return v;
    }

    public Duration duration(String path, Duration min, Duration max) {
        Duration v;
        try {
            v = config.getDuration(path);
        } catch (com.typesafe.config.ConfigException.WrongType | com.typesafe.config.ConfigException.BadValue e) {
            v = goDuration(path);
        }
        if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
            throw new ConfigException(path, "expected a duration from " + min + " to " + max + ", got " + v);
        }
        return v;
    }

    /** Fabric's durations are Go's ({@code 1m30s}, {@code 1h}), which HOCON does not parse. */
    private Duration goDuration(String path) {
        ConfigValue value = value(path);
        if (value.valueType() == ConfigValueType.STRING) {
            try {
                return GoDurations.parse((String) value.unwrapped());
            } catch (IllegalArgumentException e) {
                // reported below, with the HOCON forms
            }
        }
        throw wrong(path, "a duration (e.g. 500ms, 3s, 1m)", value);
    }

    /** A size in bytes; accepts HOCON sizes such as {@code 64 MiB} or {@code 1048576}. */
    public long bytesInRange(String path, long min, long max) {
        long v;
        try {
            v = config.getBytes(path);
        } catch (com.typesafe.config.ConfigException.WrongType | com.typesafe.config.ConfigException.BadValue e) {
            throw wrong(path, "a size in bytes (e.g. 64 MiB, 512 KiB, 1048576)", value(path));
        }
        if (v < min || v > max) {
            throw new ConfigException(path, "expected a size from " + min + " to " + max + " bytes, got " + v);
        }
        return v;
    }

    /** A file system path; a relative one is resolved against {@link #baseDir()}. */
    public Path path(String path) {
        String s = nonEmptyString(path);
        return baseDir.resolve(s).normalize();
    }

    public Optional<Path> optionalPath(String path) {
        return optionalString(path).map(s -> baseDir.resolve(s).normalize());
    }

    /** A list of file system paths; relative ones are resolved against {@link #baseDir()}. */
    public List<Path> paths(String path) {
        return strings(path).stream().map(s -> baseDir.resolve(s).normalize()).toList();
    }

    /**
     * A list of strings. A single string is split at white space, as Fabric's viper reads a list
     * given as one value ({@code CORE_PEER_TLS_CLIENTROOTCAS_FILES="a.crt b.crt"}).
     */
    public List<String> strings(String path) {
        ConfigValue value = value(path);
        if (value.valueType() == ConfigValueType.STRING) {
            String text = ((String) value.unwrapped()).strip();
            return text.isEmpty() ? List.of() : List.of(text.split("\\s+"));
        }
        try {
            return List.copyOf(config.getStringList(path));
        } catch (com.typesafe.config.ConfigException.WrongType e) {
            throw wrong(path, "a list of strings", value(path));
        }
    }

    /** A {@code host:port} address; port 0 asks the OS for a free port. */
    public HostPort hostPort(String path) {
        String s = nonEmptyString(path);
        try {
            return HostPort.parse(s);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(path, "expected host:port with a port from 0 to 65535, got \"" + s + "\"");
        }
    }

    public <E extends Enum<E>> E enumValue(String path, Class<E> type) {
        String s = string(path);
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(s)) {
                return e;
            }
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name().toLowerCase(java.util.Locale.ROOT));
        }
        throw new ConfigException(path, "expected one of " + names + ", got \"" + s + "\"");
    }

    /**
     * Fails on any key under {@code section} that the reference configuration does not define,
     * so a misspelt key is reported rather than silently ignored. Children of the keys listed in
     * {@code freeForm} (maps whose keys are names, such as per-channel settings) are not checked.
     */
    public void rejectUnknownKeys(String section, String... freeForm) {
        if (!config.hasPath(section)) {
            return;
        }
        Set<String> unknown = new TreeSet<>();
        for (Map.Entry<String, ConfigValue> entry : config.getConfig(section).entrySet()) {
            String full = section + "." + entry.getKey();
            boolean free = false;
            for (String f : freeForm) {
                if (full.equals(f) || full.startsWith(f + ".")) {
                    free = true;
                    break;
                }
            }
            if (!free && !reference.hasPathOrNull(full)) {
                unknown.add(full);
            }
        }
        if (!unknown.isEmpty()) {
            String first = unknown.iterator().next();
            throw new ConfigException(first, "unknown key (not defined in any reference.conf; check the spelling)"
                    + (unknown.size() > 1 ? "; other unknown keys: " + unknown : ""));
        }
    }

    /** A reader over a sub-tree, sharing the base directory (for records built per section). */
    public ConfigReader at(String path) {
        return new ConfigReader(config.getConfig(path), reference.hasPath(path) ? reference.getConfig(path) : reference,
                baseDir);
    }

    private ConfigValue value(String path) {
        if (!config.hasPath(path)) {
            throw new ConfigException(path, "missing: expected a value (no default in reference.conf)");
        }
        return config.getValue(path);
    }

    private static ConfigException wrong(String path, String expected, ConfigValue value) {
        return new ConfigException(path, "expected " + expected + ", got " + value.render());
    }
}
