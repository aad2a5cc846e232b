package io.fabsim.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders {@code docs/config.md} from the merged {@code reference.conf} of every module: one table
 * per top-level section, one row per key with its default and the comment written above it.
 * {@code ConfigDocsTest} fails when the committed file differs, so the page stays in step.
 */
final class ConfigDocs {

    static final String HEADER = """
            # Configuration keys

            Generated from every module's `reference.conf` by `scripts/fabsim config docs --output docs/config.md`;
            a test fails when this page and the reference files differ. A process loads the reference defaults,
            then its `--config` file, then environment variables: the key path in upper case with dots turned
            into underscores, after a prefix: `CORE_` for the peer (as Fabric: `CORE_PEER_GOSSIP_ORGLEADER=true`),
            `ORDERER_` for the orderer (`ORDERER_GENERAL_LISTENPORT=7050`), `FABSIM_` for any process. A value
            starting with `[` or `{` is parsed as HOCON. Durations take units (`500ms`, `3s`, or Go's `1m30s`),
            sizes take `KiB`/`MiB`. Relative paths are resolved against the config file's directory.

            The `--config` file is HOCON, or YAML when its name ends in `.yaml`/`.yml`: a peer starts from
            Fabric's own `core.yaml` (an orderer's file is checked against Fabric's `orderer.yaml` the same
            way). Keys match without regard to case, as in Fabric, and an empty YAML value keeps the default.
            A key of Fabric's sample file that fabsim does not model is ignored and listed once in a warning
            at start-up; a key that is in neither Fabric's sample file nor a `reference.conf` stops the start
            with an error naming it. A `CORE_`/`ORDERER_`/`FABSIM_` variable that matches no key is reported
            in a warning at start-up (the launcher's own `FABSIM_JAVA_OPTS`, `FABSIM_LOG_LEVEL` and
            `FABSIM_ORDERER_ENDPOINTS` excepted).
            """;

    private ConfigDocs() {
    }

    static String render(Config reference) {
        Map<String, List<String[]>> sections = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Map.Entry<String, ConfigValue> entry : reference.entrySet()) {
            String path = entry.getKey();
            String section = path.contains(".") ? path.substring(0, path.indexOf('.')) : path;
            sections.computeIfAbsent(section, s -> new ArrayList<>())
                    .add(new String[] {path, renderValue(entry.getValue()), describe(entry.getValue())});
        }
        StringBuilder out = new StringBuilder(HEADER);
        for (Map.Entry<String, List<String[]>> section : sections.entrySet()) {
            out.append("\n## `").append(section.getKey()).append("`\n\n");
            out.append("| key | default | meaning |\n|---|---|---|\n");
            section.getValue().sort((a, b) -> a[0].compareToIgnoreCase(b[0]));
            for (String[] row : section.getValue()) {
                out.append("| `").append(row[0]).append("` | `").append(row[1]).append("` | ")
                        .append(row[2]).append(" |\n");
            }
        }
        return out.toString();
    }

    private static String renderValue(ConfigValue value) {
        String rendered = value.render(ConfigRenderOptions.concise());
        return rendered.replace("|", "\\|");
    }

    private static String describe(ConfigValue value) {
        List<String> comments = value.origin().comments();
        String text = String.join(" ", comments.stream().map(String::trim).toList()).trim();
        return text.isEmpty() ? "(undocumented)" : text.replace("|", "\\|");
    }
}
