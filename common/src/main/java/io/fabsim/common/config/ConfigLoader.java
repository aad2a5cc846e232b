package io.fabsim.common.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Loads a process's configuration in three layers, each overriding the one before:
 *
 * <ol>
 *   <li>the {@code reference.conf} of every module on the class path (the documented defaults);</li>
 *   <li>the HOCON file given with {@code --config}, if any;</li>
 *   <li>environment variables. A variable overrides a key that the two layers above already
 *       define: its name is a prefix, an underscore, then the key path in upper case with dots
 *       turned into underscores. With prefix {@code CORE} (the peer, as Fabric),
 *       {@code CORE_PEER_GOSSIP_ORGLEADER=true} sets {@code peer.gossip.orgLeader}; with
 *       {@code ORDERER}, {@code ORDERER_GENERAL_LISTENPORT} sets {@code General.ListenPort}.
 *       {@code FABSIM_} works for every process. A value that starts with {@code [} or {@code {}
 *       is parsed as HOCON (lists, objects); any other value is taken as a string, which the
 *       typed getters convert (booleans, numbers, durations, sizes).</li>
 * </ol>
 *
 * Relative paths in the file are resolved against the file's directory (see
 * {@link ConfigReader#path}), as Fabric resolves them against its config directory.
 */
public final class ConfigLoader {

    private ConfigLoader() {
    }

    public static ConfigReader load(Optional<Path> file, Map<String, String> env, List<String> envPrefixes) {
        return load(reference(), file, env, envPrefixes);
    }

    /** As {@link #load(Optional, Map, List)} over an explicit reference layer (tests, tools). */
    public static ConfigReader load(Config reference, Optional<Path> file, Map<String, String> env, List<String> envPrefixes) {
        Config layered = reference;
        Path baseDir = Path.of("").toAbsolutePath();
        if (file.isPresent()) {
            Path path = file.get().toAbsolutePath();
            if (!Files.isRegularFile(path)) {
                throw new ConfigException("--config", "expected a readable HOCON file, got \"" + file.get() + "\" (no such file)");
            }
            Config fromFile;
            try {
                fromFile = ConfigFactory.parseFile(path.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
            } catch (com.typesafe.config.ConfigException e) {
                throw new ConfigException("--config", "cannot parse " + path + ": " + e.getMessage(), e);
            }
            layered = fromFile.withFallback(reference);
            baseDir = path.getParent();
        }
        Config withEnv = applyEnvironment(layered, env, envPrefixes);
        try {
            return new ConfigReader(withEnv.resolve(), reference, baseDir);
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException("--config", "cannot resolve substitutions: " + e.getMessage(), e);
        }
    }

    /**
     * The merged {@code reference.conf} of every module on the class path, resolved, without the
     * JVM system properties that {@code ConfigFactory.defaultReference()} folds in.
     */
    public static Config reference() {
        return ConfigFactory.defaultReferenceUnresolved().resolve();
    }

    /** Loads only the reference defaults, with no file and no environment (tests, tools). */
    public static ConfigReader defaults() {
        return load(Optional.empty(), Map.of(), List.of());
    }

    /** Parses HOCON text over the reference defaults (tests). */
    public static ConfigReader fromString(String hocon) {
        return fromString(reference(), hocon);
    }

    /** Parses HOCON text over an explicit reference layer. */
    public static ConfigReader fromString(Config reference, String hocon) {
        return new ConfigReader(ConfigFactory.parseString(hocon).withFallback(reference).resolve(), reference,
                Path.of("").toAbsolutePath());
    }

    static Config applyEnvironment(Config config, Map<String, String> env, List<String> prefixes) {
        Config result = config;
        for (Map.Entry<String, ConfigValue> entry : config.entrySet()) {
            String path = entry.getKey();
            String suffix = path.toUpperCase(Locale.ROOT).replace('.', '_').replace("\"", "");
            for (String prefix : prefixes) {
                String value = env.get(prefix + "_" + suffix);
                if (value != null) {
                    result = result.withValue(path, parseEnvValue(path, prefix + "_" + suffix, value));
                }
            }
        }
        return result;
    }

    private static ConfigValue parseEnvValue(String path, String variable, String raw) {
        String trimmed = raw.trim();
        if (trimmed.startsWith("[") || trimmed.startsWith("{")) {
            try {
                return ConfigFactory.parseString("v = " + trimmed).getValue("v");
            } catch (com.typesafe.config.ConfigException e) {
                throw new ConfigException(path, "environment variable " + variable + ": expected HOCON, got \"" + raw + "\"", e);
            }
        }
        return ConfigValueFactory.fromAnyRef(raw, "environment variable " + variable);
    }
}
