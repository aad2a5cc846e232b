package io.fabsim.common.config;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The keys of one of Fabric's own configuration files ({@code core.yaml} for the peer,
 * {@code orderer.yaml} for the orderer), as its sample file of Fabric v2.5 has them, and the
 * environment prefix Fabric reads them from ({@code CORE}, {@code ORDERER}). {@link ConfigLoader}
 * uses them to tell a Fabric key that fabsim does not model (ignored, with a warning) from a key
 * that is nobody's (an error). Keys compare without regard to case, as Fabric's viper does; a path
 * below a listed key (whose sample value is empty or free-form) and a path above one (a section set
 * to a scalar) count as Fabric's too.
 *
 * @param file the file's name, for messages ({@code core.yaml})
 * @param envPrefix the environment prefix Fabric reads this file's keys from
 * @param keys the leaf paths, lower case, mapped to their spelling in Fabric's sample
 */
public record FabricKeys(String file, String envPrefix, Map<String, String> keys) {

    public FabricKeys {
        keys = Map.copyOf(keys);
    }

    /** Reads a key list (one path a line; {@code #} comments) from the class path next to {@code anchor}. */
    public static FabricKeys fromResource(Class<?> anchor, String resource, String file, String envPrefix) {
        Map<String, String> keys = new LinkedHashMap<>();
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the key list " + resource + " is missing from the class path of "
                        + anchor.getName());
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                String key = line.strip();
                if (!key.isEmpty() && !key.startsWith("#")) {
                    keys.put(key.toLowerCase(Locale.ROOT), key);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the key list " + resource + ": " + e.getMessage(), e);
        }
        return new FabricKeys(file, envPrefix, keys);
    }

    /** The leaf paths of a Fabric YAML file, such as the sample {@code core.yaml} itself. */
    public static FabricKeys fromYaml(java.nio.file.Path yaml, String file, String envPrefix) {
        return of(file, envPrefix, YamlFile.read(yaml).stream().map(YamlFile.Leaf::path).toList());
    }

    /** Builds the list from leaf paths. */
    public static FabricKeys of(String file, String envPrefix, List<String> paths) {
        Map<String, String> keys = new LinkedHashMap<>();
        paths.forEach(p -> keys.put(p.toLowerCase(Locale.ROOT), p));
        return new FabricKeys(file, envPrefix, keys);
    }

    /** Whether {@code path} is one of Fabric's keys, below one, or a section holding some. */
    public boolean knows(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        if (keys.containsKey(p)) {
            return true;
        }
        for (String key : keys.keySet()) {
            if (p.startsWith(key + ".") || key.startsWith(p + ".")) {
                return true;
            }
        }
        return false;
    }

    /** The Fabric key an environment variable sets, as Fabric names it ({@code CORE_PEER_TLS_CLIENTCERT_FILE}). */
    public Optional<String> keyOfVariable(String variable) {
        if (!variable.startsWith(envPrefix + "_")) {
            return Optional.empty();
        }
        String suffix = variable.substring(envPrefix.length() + 1);
        for (String key : keys.values()) {
            if (ConfigLoader.envSuffix(key).equals(suffix)) {
                return Optional.of(key);
            }
        }
        return Optional.empty();
    }
}
