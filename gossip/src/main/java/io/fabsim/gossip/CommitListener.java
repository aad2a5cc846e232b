package io.fabsim.gossip;

import org.hyperledger.fabric.protos.common.Block;

/**
 * Told after each block a {@link Committer} appended to the ledger (with its final transaction
 * filter), on the committer's thread: keep it short. Used by the gossip StateInfo publisher, the
 * peer's Deliver service and status.
 */
@FunctionalInterface
public interface CommitListener {

    void committed(String channelId, Block block, long newHeight);
}
