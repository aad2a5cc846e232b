package io.fabsim.peer;

import java.util.Locale;

/** How a peer gets a channel's blocks from the ordering service. */
public enum LeaderMode {
    /** It takes part in the org's election; the elected peer delivers ({@code useLeaderElection}). */
    ELECTION,
    /** It always delivers ({@code orgLeader}). */
    STATIC,
    /** It never delivers; blocks come by gossip only. */
    NONE;

    /** The name in /status: election, static or none. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
