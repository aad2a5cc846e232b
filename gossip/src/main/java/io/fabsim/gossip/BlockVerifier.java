package io.fabsim.gossip;

import io.fabsim.common.verify.InvalidBlockException;
import org.hyperledger.fabric.protos.common.Block;

/**
 * Checks a block of one channel as Fabric's {@code MessageCryptoService.VerifyBlock} does: the data
 * hash in the header matches the data, and the orderer signatures in metadata satisfy the channel's
 * {@code BlockValidation} policy. The chain link to the ledger is checked by the {@link Committer}.
 * Peer-node wires the channel's verifier (built from its config) behind this interface.
 */
@FunctionalInterface
public interface BlockVerifier {

    /** @throws InvalidBlockException naming the channel, the block number and what did not check */
    void verify(Block block) throws InvalidBlockException;
}
