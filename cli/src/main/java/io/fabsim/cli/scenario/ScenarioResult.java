package io.fabsim.cli.scenario;

import java.util.List;

/** The outcome of one scenario, as written to the JSON report and drawn in the HTML page. */
public record ScenarioResult(String name, String description, boolean passed, String message, long durationMillis,
                             List<Timeline.Event> events, List<Timeline.Failover> failovers, long blocksChecked,
                             List<Timeline.Sample> samples) {
}
