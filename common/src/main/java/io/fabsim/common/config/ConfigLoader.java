package io.fabsim.common.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigUtil;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

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
 * The file is HOCON, or YAML when its name ends in {@code .yaml} or {@code .yml} (Fabric's own
 * {@code core.yaml} loads as it is; an empty YAML value leaves the default). Given the keys of
 * the process's Fabric file ({@link FabricKeys}), loading also sorts every key of the file and
 * every environment variable with one of the prefixes: a key of a {@code reference.conf} is read
 * (matched without regard to case, as Fabric does); a key of Fabric's file that fabsim does not
 * model is dropped and listed once in {@link ConfigReader#warnings()}; a key in neither is a
 * {@link ConfigException} naming it, its value and what was expected. A variable that matches no
 * key of either is listed in the warnings too, except the launcher's own
 * ({@link #LAUNCHER_VARIABLES}).
 *
 * Relative paths in the file are resolved against the file's directory (see
 * {@link ConfigReader#path}), as Fabric resolves them against its config directory.
 */
public final class ConfigLoader {

    /** Variables with prefix {@code FABSIM_} that the launcher script and commands read, not a key. */
    public static final Set<String> LAUNCHER_VARIABLES = Set.of("FABSIM_JAVA_OPTS", "FABSIM_LOG_LEVEL",
            "FABSIM_ORDERER_ENDPOINTS");

    private ConfigLoader() {
    }

    public static ConfigReader load(Optional<Path> file, Map<String, String> env, List<String> envPrefixes) {
        return load(reference(), file, env, envPrefixes);
    }

    /** As {@link #load(Optional, Map, List)}, sorting keys and variables against Fabric's ({@code fabric}). */
    public static ConfigReader load(Optional<Path> file, Map<String, String> env, List<String> envPrefixes,
            FabricKeys fabric) {
        return load(reference(), file, env, envPrefixes, Optional.of(fabric));
    }

    /** As {@link #load(Optional, Map, List)} over an explicit reference layer (tests, tools). */
    public static ConfigReader load(Config reference, Optional<Path> file, Map<String, String> env, List<String> envPrefixes) {
        return load(reference, file, env, envPrefixes, Optional.empty());
    }

    static ConfigReader load(Config reference, Optional<Path> file, Map<String, String> env, List<String> envPrefixes,
            Optional<FabricKeys> fabric) {
        Config layered = reference;
        Path baseDir = Path.of("").toAbsolutePath();
        Sorting sorting = new Sorting(reference, fabric);
        if (file.isPresent()) {
            Path path = file.get().toAbsolutePath();
            if (!Files.isRegularFile(path)) {
                throw new ConfigException("--config", "expected a readable HOCON or YAML file, got \"" + file.get()
                        + "\" (no such file)");
            }
            layered = sorting.file(path).withFallback(reference);
            baseDir = path.getParent();
        }
        Config withEnv = applyEnvironment(layered, env, envPrefixes, sorting);
        try {
            return new ConfigReader(withEnv.resolve(), reference, baseDir, sorting.warnings());
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
        return applyEnvironment(config, env, prefixes, new Sorting(config, Optional.empty()));
    }

    /** Variables override keys the config already has; with Fabric's keys, the others are sorted. */
    private static Config applyEnvironment(Config config, Map<String, String> env, List<String> prefixes, Sorting sorting) {
        // several keys may share a name (operations.listenAddress, Operations.ListenAddress): each is set
        Map<String, List<String>> keysBySuffix = new HashMap<>();
        for (Map.Entry<String, ConfigValue> entry : config.entrySet()) {
            keysBySuffix.computeIfAbsent(envSuffix(entry.getKey()), k -> new ArrayList<>()).add(entry.getKey());
        }
        Config result = config;
        Map<String, String> sorted = new TreeMap<>(env);
        for (String prefix : prefixes) {
            for (Map.Entry<String, String> variable : sorted.entrySet()) {
                String name = variable.getKey();
                if (!name.startsWith(prefix + "_")) {
                    continue;
                }
                List<String> paths = keysBySuffix.getOrDefault(name.substring(prefix.length() + 1), List.of());
                for (String path : paths) {
                    result = result.withValue(path, parseEnvValue(path, name, variable.getValue()));
                }
                if (paths.isEmpty()) {
                    sorting.unmatchedVariable(name);
                }
            }
        }
        return result;
    }

    /** The part of an environment variable's name that names {@code path}: {@code PEER_GOSSIP_ORGLEADER}. */
    static String envSuffix(String path) {
        return path.toUpperCase(Locale.ROOT).replace('.', '_').replace("\"", "");
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

    /**
     * Sorts a file's keys and the environment's variables against the reference and, when given,
     * Fabric's keys; collects what is ignored for {@link ConfigReader#warnings()}.
     */
    private static final class Sorting {

        private final Config reference;
        private final Optional<FabricKeys> fabric;
        private final Map<String, String> referenceLeaves = new HashMap<>();
        private final Set<String> unmodelled = new TreeSet<>();
        private final Set<String> unmodelledKeys = new HashSet<>();
        private final List<String> unmatchedVariables = new ArrayList<>();

        Sorting(Config reference, Optional<FabricKeys> fabric) {
            this.reference = reference;
            this.fabric = fabric;
            reference.entrySet().forEach(e -> referenceLeaves.put(e.getKey().toLowerCase(Locale.ROOT), e.getKey()));
        }

        Config file(Path path) {
            String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
            return name.endsWith(".yaml") || name.endsWith(".yml") ? yaml(path) : hocon(path);
        }

        private Config hocon(Path path) {
            Config parsed;
            try {
                parsed = ConfigFactory.parseFile(path.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
            } catch (com.typesafe.config.ConfigException e) {
                throw new ConfigException("--config", "cannot parse " + path + ": " + e.getMessage(), e);
            }
            if (fabric.isEmpty()) {
                return parsed;
            }
            Config kept = parsed;
            Map<String, Object> unknown = new TreeMap<>();
            for (Map.Entry<String, ConfigValue> entry : parsed.entrySet()) {
                String key = entry.getKey();
                Optional<String> modelled = modelled(key);
                if (modelled.isPresent()) {
                    if (!modelled.get().equals(key)) {
                        kept = kept.withoutPath(key).withValue(modelled.get(), entry.getValue());
                    }
                } else {
                    kept = kept.withoutPath(key);
                    if (fabric.get().knows(key)) {
                        unmodelled(key, key);
                    } else {
                        unknown.put(key, entry.getValue().render());
                    }
                }
            }
            refuse(unknown);
            return kept;
        }

        private Config yaml(Path path) {
            String origin = path.getFileName().toString();
            Config kept = ConfigFactory.empty(origin);
            Map<String, Object> unknown = new TreeMap<>();
            for (YamlFile.Leaf leaf : YamlFile.read(path)) {
                Optional<String> target = fabric.isEmpty() ? Optional.of(ConfigUtil.joinPath(leaf.path().split("\\.")))
                        : modelled(leaf.path());
                if (target.isPresent()) {
                    if (leaf.value() != null) {
                        kept = kept.withValue(target.get(), leaf.toConfigValue(origin + ": " + leaf.path()));
                    }
                } else if (fabric.get().knows(leaf.path())) {
                    unmodelled(leaf.path(), leaf.path());
                } else {
                    unknown.put(leaf.path(), leaf.value());
                }
            }
            refuse(unknown);
            return kept;
        }

        /**
         * The reference's spelling of {@code key}, if some reference.conf has it, or {@code key} itself
         * under a map the reference leaves empty for names (e.g. {@code orderer.load.signers {}}).
         */
        private Optional<String> modelled(String key) {
            try {
                if (reference.hasPathOrNull(key)) {
                    return Optional.of(key);
                }
                List<String> parts = ConfigUtil.splitPath(key);
                for (int n = parts.size() - 1; n > 0; n--) {
                    String prefix = ConfigUtil.joinPath(parts.subList(0, n));
                    if (reference.hasPath(prefix) && reference.getValue(prefix) instanceof com.typesafe.config.ConfigObject o
                            && o.isEmpty()) {
                        return Optional.of(key);
                    }
                }
            } catch (com.typesafe.config.ConfigException.BadPath e) {
                return Optional.empty();
            }
            return Optional.ofNullable(referenceLeaves.get(key.toLowerCase(Locale.ROOT)));
        }

        private void refuse(Map<String, Object> unknown) {
            if (unknown.isEmpty()) {
                return;
            }
            Map.Entry<String, Object> first = unknown.entrySet().iterator().next();
            throw new ConfigException(first.getKey(), "unknown key (value " + first.getValue() + "): expected a key of "
                    + "fabsim's reference.conf or of Fabric's " + fabric.orElseThrow().file() + " (check the spelling)"
                    + (unknown.size() > 1 ? "; other unknown keys: " + unknown.keySet() : ""));
        }

        void unmatchedVariable(String variable) {
            if (fabric.isEmpty() || LAUNCHER_VARIABLES.contains(variable)) {
                return;
            }
            Optional<String> key = fabric.get().keyOfVariable(variable);
            if (key.isPresent()) {
                unmodelled(key.get(), key.get() + " (" + variable + ")");
            } else {
                unmatchedVariables.add(variable);
            }
        }

        /** Lists a key once, even when both the file and a variable set it. */
        private void unmodelled(String key, String shown) {
            if (unmodelledKeys.add(key.toLowerCase(Locale.ROOT))) {
                unmodelled.add(shown);
            }
        }

        List<String> warnings() {
            List<String> warnings = new ArrayList<>();
            if (!unmodelled.isEmpty()) {
                warnings.add("Keys of Fabric's " + fabric.orElseThrow().file() + " that fabsim does not model, ignored: "
                        + unmodelled);
            }
            for (String variable : unmatchedVariables) {
                warnings.add("Environment variable " + variable + " matches no key of fabsim's reference.conf nor of "
                        + "Fabric's " + fabric.orElseThrow().file() + "; it is ignored (check the spelling)");
            }
            return warnings;
        }
    }
}
