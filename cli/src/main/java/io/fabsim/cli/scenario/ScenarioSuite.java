package io.fabsim.cli.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Which scenarios run: the quick suite (CI, a few minutes) or the full one. */
public final class ScenarioSuite {

    /**
     * The quick suite: crash and hang of a leader, a static org next to an elected one with a
     * gossip-only peer, and catching up from peers while no orderer runs.
     */
    static final Set<String> QUICK = Set.of("leader-kill", "leader-pause", "mixed-static-election", "gossip-catch-up");

    private ScenarioSuite() {
    }

    public static List<Scenario> select(boolean full, List<String> only) {
        List<Scenario> all = Scenarios.all();
        List<Scenario> chosen = new ArrayList<>();
        if (only != null && !only.isEmpty()) {
            for (String name : only) {
                chosen.add(all.stream().filter(s -> s.name().equals(name)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("no scenario named \"" + name + "\"; known: "
                                + all.stream().map(Scenario::name).toList())));
            }
            return chosen;
        }
        return full ? all : all.stream().filter(ScenarioSuite::isQuick).toList();
    }

    public static boolean isQuick(Scenario scenario) {
        return QUICK.contains(scenario.name());
    }
}
