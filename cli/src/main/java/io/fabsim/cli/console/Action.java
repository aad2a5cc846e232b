package io.fabsim.cli.console;

import java.util.Arrays;
import java.util.Optional;

/**
 * What the console can do to a node, each through the same {@code NetworkControl} call as the
 * {@code network} verb of the same name. {@code onPeer}/{@code onOrderer} say where it applies;
 * {@code perChannel} actions name a channel; {@link #LOAD_RATE} carries a rate.
 */
enum Action {
    KILL("kill", "kill -9", true, true, false),
    PAUSE("pause", "pause", true, true, false),
    RESUME("resume", "resume", true, true, false),
    RESTART("restart", "restart", true, true, false),
    PARTITION("partition", "partition", true, false, false),
    HEAL("heal", "heal", true, false, false),
    PAUSE_CUTTING("pause-cutting", "pause cutting", false, true, true),
    RESUME_CUTTING("resume-cutting", "resume cutting", false, true, true),
    LOAD_RATE("load-rate", "set load rate", false, true, false);

    private final String wire;
    private final String label;
    private final boolean onPeer;
    private final boolean onOrderer;
    private final boolean perChannel;

    Action(String wire, String label, boolean onPeer, boolean onOrderer, boolean perChannel) {
        this.wire = wire;
        this.label = label;
        this.onPeer = onPeer;
        this.onOrderer = onOrderer;
        this.perChannel = perChannel;
    }

    static Optional<Action> of(String wire) {
        return Arrays.stream(values()).filter(a -> a.wire.equals(wire)).findFirst();
    }

    String wire() {
        return wire;
    }

    String label() {
        return label;
    }

    boolean appliesTo(boolean peer) {
        return peer ? onPeer : onOrderer;
    }

    boolean perChannel() {
        return perChannel;
    }
}
