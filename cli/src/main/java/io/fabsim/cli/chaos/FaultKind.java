package io.fabsim.cli.chaos;

import io.fabsim.common.config.ConfigException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The faults the nemesis injects, by the names {@code --faults} takes. */
public enum FaultKind {
    /** kill -9 a peer; it is restarted after the hold. */
    KILL("kill", false),
    /** SIGSTOP a peer (a hang); SIGCONT after the hold. */
    PAUSE("pause", false),
    /** Cut a peer's link (its namespace's veth goes down); restored after the hold. */
    PARTITION("partition", true),
    /** Slow a peer's link in both directions (a token bucket on its veth pair); removed after the hold. */
    DELAY("delay", true),
    /** kill -9 an orderer; it is restarted after the hold. */
    ORDERER_KILL("orderer-kill", false),
    /** Stop a peer with SIGTERM and start it again at once (it resumes from its ledger). */
    RESTART("restart", false);

    private final String label;
    private final boolean needsNetns;

    FaultKind(String label, boolean needsNetns) {
        this.label = label;
        this.needsNetns = needsNetns;
    }

    public String label() {
        return label;
    }

    /** True when the fault acts on links, so that it needs a network started with {@code netns = true}. */
    public boolean needsNetns() {
        return needsNetns;
    }

    /** True when the fault hits a peer (and so disturbs its org's election). */
    public boolean onPeer() {
        return this != ORDERER_KILL;
    }

    /** {@code kill,pause,...} as kinds, in the order given, each once; an unknown name names every known one. */
    public static List<FaultKind> parseList(String option, List<String> names) {
        List<FaultKind> kinds = new ArrayList<>();
        for (String raw : names) {
            String name = raw.trim().toLowerCase(Locale.ROOT);
            FaultKind kind = Arrays.stream(values()).filter(k -> k.label.equals(name)).findFirst()
                    .orElseThrow(() -> new ConfigException(option, "expected fault kinds among "
                            + Arrays.stream(values()).map(FaultKind::label).toList() + ", got \"" + raw + "\""));
            if (!kinds.contains(kind)) {
                kinds.add(kind);
            }
        }
        if (kinds.isEmpty()) {
            throw new ConfigException(option, "expected at least one fault kind, got none");
        }
        return List.copyOf(kinds);
    }
}
