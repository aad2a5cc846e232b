package io.fabsim.cli.scenario;

import io.fabsim.cli.network.NetworkSpec;

/**
 * One scripted failover scenario: the network it needs, then faults injected under load. The
 * runner brings the network up, calls {@link #run}, checks the invariants and tears it down.
 */
public interface Scenario {

    String name();

    /** Scenario and expectation, one or two sentences, shown in the report. */
    String description();

    /** The network description this scenario runs on. */
    NetworkSpec network();

    /** Whether the scenario can run here; empty when it can, else the reason it is skipped. */
    default java.util.Optional<String> skipReason() {
        return java.util.Optional.empty();
    }

    /** Injects the faults; {@code repeat} is 1 in the quick suite and larger in the full one. */
    void run(ScenarioContext ctx, int repeat) throws Exception;
}
