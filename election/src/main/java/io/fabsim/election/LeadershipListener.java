package io.fabsim.election;

import java.util.Optional;

/**
 * What a consumer of leadership (the peer's deliver service) is told, per channel. Calls for one
 * election instance arrive on one thread, in order, never concurrently; an implementation must not
 * block for long (start or stop the deliver client without waiting on other threads): while it
 * runs, this peer handles no election event. {@code join} and {@code leave} called from a callback
 * run at once.
 */
public interface LeadershipListener {

    /**
     * This peer became ({@code isLeader = true}) or stopped being the leader of {@code channel}.
     * On {@code true} start the deliver client; on {@code false} stop it at once (fencing).
     */
    void onLeadershipChanged(String channel, boolean isLeader);

    /** The leader of {@code channel} as this peer knows it changed (empty: none known right now). */
    default void onLeaderChanged(String channel, Optional<String> leaderId) {
    }
}
