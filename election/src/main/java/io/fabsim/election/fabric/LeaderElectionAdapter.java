package io.fabsim.election.fabric;

import java.util.List;
import java.util.function.Consumer;

/**
 * What Fabric's election algorithm needs from the gossip layer for one channel (Fabric's
 * {@code LeaderElectionAdapter}). The consumer (this package) declares it; gossip implements it with
 * signed {@code LeadershipMessage}s, the tests with an in-memory network. Fabric's {@code ReportMetrics}
 * is not here: fabsim's {@code gossip_leader_election_leader} gauge follows the leadership callbacks,
 * the same for both algorithms.
 */
public interface LeaderElectionAdapter {

    /** Sends a message to the org's peers on the channel, without waiting. */
    void gossip(ElectionMessage message);

    /**
     * From now on hands every leadership message for the channel from an org peer (already
     * authenticated) to {@code receiver}, on any thread.
     */
    void accept(Consumer<ElectionMessage> receiver);

    /** A proposal or a declaration from this peer, signed, with a fresh timestamp. */
    ElectionMessage createMessage(boolean isDeclaration);

    /** The org's peers considered alive right now (this peer may be included). */
    List<ElectionPeer> peers();

    /** No more messages are handed over. Idempotent. */
    void close();
}
