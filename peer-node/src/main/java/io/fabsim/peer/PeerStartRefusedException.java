package io.fabsim.peer;

/**
 * The peer refused to start before opening any port or ledger, e.g. because both
 * {@code peer.gossip.orgLeader} and {@code peer.gossip.useLeaderElection} are true (Fabric panics).
 * The CLI exits with its distinct "refused to start" code.
 */
public class PeerStartRefusedException extends RuntimeException {

    public PeerStartRefusedException(String message) {
        super(message);
    }
}
