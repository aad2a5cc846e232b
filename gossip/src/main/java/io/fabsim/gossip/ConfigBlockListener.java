package io.fabsim.gossip;

import org.hyperledger.fabric.protos.common.Block;

/**
 * Told, on the committer's thread and before the next block is verified, that a config block was
 * committed, so the block verifier and the orderer endpoints can be rebuilt from the new config.
 */
@FunctionalInterface
public interface ConfigBlockListener {

    void configCommitted(String channelId, Block configBlock);
}
