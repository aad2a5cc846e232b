package io.fabsim.cli.scenario;

/** An invariant did not hold; the message says which, where and what was seen. */
public class ScenarioFailure extends Exception {

    public ScenarioFailure(String message) {
        super(message);
    }
}
