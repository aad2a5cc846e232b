package io.fabsim.common.config;

import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * A YAML configuration file such as Fabric's {@code core.yaml}, flattened to its leaf paths
 * ({@code peer.tls.cert.file}). A leaf is a scalar, a list, or an empty value; an empty value
 * means "not set", as in Fabric, and leaves the default in place.
 */
final class YamlFile {

    /** One leaf: its dotted path as the file spells it, and its value (null when empty). */
    record Leaf(String path, Object value) {

        /** The value as a HOCON value (lists and maps kept, other scalars as their text). */
        ConfigValue toConfigValue(String origin) {
            return ConfigValueFactory.fromAnyRef(plain(value), origin);
        }
    }

    private YamlFile() {
    }

    static List<Leaf> read(Path path) {
        Object root;
        try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        } catch (IOException | YAMLException e) {
            throw new ConfigException("--config", "cannot parse " + path + " as YAML: " + e.getMessage(), e);
        }
        List<Leaf> leaves = new ArrayList<>();
        if (root == null) {
            return leaves;
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new ConfigException("--config", "expected " + path + " to hold a YAML mapping of keys, got a "
                    + root.getClass().getSimpleName());
        }
        flatten(map, "", leaves);
        return leaves;
    }

    private static void flatten(Map<?, ?> map, String prefix, List<Leaf> out) {
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String path = prefix + entry.getKey();
            if (entry.getValue() instanceof Map<?, ?> child && !child.isEmpty()) {
                flatten(child, path + ".", out);
            } else {
                out.add(new Leaf(path, entry.getValue()));
            }
        }
    }

    /** Maps, lists, numbers, booleans and null as they are; anything else (dates) as its text. */
    private static Object plain(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), plain(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(YamlFile::plain).toList();
        }
        if (value == null || value instanceof Number || value instanceof Boolean || value instanceof String) {
            return value;
        }
        return String.valueOf(value);
    }
}
