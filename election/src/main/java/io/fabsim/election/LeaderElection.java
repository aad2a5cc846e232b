package io.fabsim.election;

import java.util.List;
import java.util.Optional;

/**
 * Leader election among the peers of one organization, one leader per channel. Exactly one live
 * eligible peer of a stable membership leads a channel; see {@code JGroupsLeaderElection} for the
 * algorithm. Thread-safe.
 */
public interface LeaderElection extends AutoCloseable {

    /** Joins the organization's cluster. Blocks until the first membership view is installed. */
    void start();

    /**
     * Takes part in leadership of {@code channel}. With {@code eligible = false} the peer is a member
     * of the channel (visible in {@link #members()}) but is never chosen. Joining a channel twice
     * replaces the listener and eligibility.
     */
    void join(String channel, boolean eligible, LeadershipListener listener);

    /**
     * Stops taking part in {@code channel}; if this peer led it, the listener is told {@code false}
     * first and another eligible peer is chosen. A no-op after {@link #close()}.
     */
    void leave(String channel);

    /**
     * Gives up leadership of {@code channel} (the deliver client gave up): {@link #isLeader} is false
     * when this returns, the listener is told {@code false} right after on its own thread (this call
     * does not wait for it, so a deliver client may call it from its own thread while the listener
     * stops that client), and another eligible peer is chosen; this peer is not chosen
     * again for the yield cooldown unless it is the only eligible one. A no-op when not leader and
     * after {@link #close()}.
     */
    void yield(String channel);

    /** Whether this peer leads {@code channel} now (always false after {@link #close()}). */
    boolean isLeader(String channel);

    /** The node name of the channel's leader as this peer knows it. */
    Optional<String> leaderOf(String channel);

    /** The node name of this peer. */
    String nodeName();

    /** Live members of the organization's cluster (this peer included), in membership order. */
    List<ElectionMember> members();

    /**
     * The id of this peer's current membership view, when the algorithm has views (JGroups): peers
     * that agree on it see the same members; empty otherwise.
     */
    default Optional<String> viewId() {
        return Optional.empty();
    }

    /**
     * Leaves the cluster; no listener is called after this returns (the caller stops its own
     * deliver clients). Idempotent.
     */
    @Override
    void close();
}
