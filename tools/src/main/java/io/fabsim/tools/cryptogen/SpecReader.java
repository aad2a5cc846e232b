package io.fabsim.tools.cryptogen;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.fabsim.common.config.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed reads from one object of the cryptogen file (an org, a spec), with errors that name the
 * full path, e.g. {@code PeerOrgs[0].Template.Count: expected an integer from 0 to 10000, got "x"}.
 */
final class SpecReader {

    private final Config config;
    private final String path;

    SpecReader(Config config, String path) {
        this.config = config;
        this.path = path;
    }

    String path(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    boolean has(String key) {
        return config.hasPath(key);
    }

    void allowOnly(Set<String> keys) {
        Set<String> unknown = new TreeSet<>(config.root().keySet());
        unknown.removeAll(keys);
        if (!unknown.isEmpty()) {
            throw new ConfigException(path(unknown.iterator().next()), "unknown key (expected one of " + new TreeSet<>(keys) + ")");
        }
    }

    Optional<String> optionalString(String key) {
        if (!config.hasPath(key)) {
            return Optional.empty();
        }
        ConfigValue value = config.getValue(key);
        if (value.valueType() == ConfigValueType.OBJECT || value.valueType() == ConfigValueType.LIST) {
            throw new ConfigException(path(key), "expected a string, got " + value.render());
        }
        String s = String.valueOf(value.unwrapped()).strip();
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    /** A required name that becomes part of a file path: letters, digits, dot, dash, underscore, @. */
    String name(String key) {
        String s = optionalString(key).orElseThrow(() -> new ConfigException(path(key), "missing: expected a non-empty name"));
        return checkName(path(key), s);
    }

    static String checkName(String path, String s) {
        if (!s.matches("[A-Za-z0-9_@][A-Za-z0-9._@-]*") || s.contains("..")) {
            throw new ConfigException(path, "expected a host or domain name (letters, digits, '.', '-', '_'), got \"" + s + "\"");
        }
        return s;
    }

    boolean bool(String key, boolean defaultValue) {
        if (!config.hasPath(key)) {
            return defaultValue;
        }
        try {
            return config.getBoolean(key);
        } catch (com.typesafe.config.ConfigException.WrongType e) {
            throw new ConfigException(path(key), "expected a boolean (true or false), got " + config.getValue(key).render());
        }
    }

    int intInRange(String key, int defaultValue, int min, int max) {
        if (!config.hasPath(key)) {
            return defaultValue;
        }
        ConfigValue value = config.getValue(key);
        int n;
        try {
            n = config.getInt(key);
        } catch (com.typesafe.config.ConfigException.WrongType e) {
            throw new ConfigException(path(key), "expected an integer from " + min + " to " + max + ", got " + value.render());
        }
        if (n < min || n > max) {
            throw new ConfigException(path(key), "expected an integer from " + min + " to " + max + ", got " + n);
        }
        return n;
    }

    List<String> strings(String key) {
        if (!config.hasPath(key)) {
            return List.of();
        }
        ConfigValue value = config.getValue(key);
        if (value.valueType() != ConfigValueType.LIST) {
            throw new ConfigException(path(key), "expected a list of strings, got " + value.render());
        }
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) value.unwrapped()) {
            if (o instanceof List || o instanceof java.util.Map) {
                throw new ConfigException(path(key), "expected a list of strings, got " + value.render());
            }
            out.add(String.valueOf(o));
        }
        return out;
    }

    Optional<SpecReader> object(String key) {
        if (!config.hasPath(key)) {
            return Optional.empty();
        }
        ConfigValue value = config.getValue(key);
        if (!(value instanceof ConfigObject object)) {
            throw new ConfigException(path(key), "expected an object { ... }, got " + value.render());
        }
        return Optional.of(new SpecReader(object.toConfig(), path(key)));
    }

    List<SpecReader> objects(String key) {
        if (!config.hasPath(key)) {
            return List.of();
        }
        ConfigValue value = config.getValue(key);
        if (value.valueType() != ConfigValueType.LIST) {
            throw new ConfigException(path(key), "expected a list of objects [ { ... } ], got " + value.render());
        }
        List<SpecReader> out = new ArrayList<>();
        List<? extends ConfigValue> items = config.getList(key);
        for (int i = 0; i < items.size(); i++) {
            String itemPath = path(key) + "[" + i + "]";
            if (!(items.get(i) instanceof ConfigObject object)) {
                throw new ConfigException(itemPath, "expected an object { ... }, got " + items.get(i).render());
            }
            out.add(new SpecReader(object.toConfig(), itemPath));
        }
        return out;
    }
}
