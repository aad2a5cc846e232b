package io.fabsim.gossip;

import io.fabsim.common.verify.InvalidBlockException;
import org.hyperledger.fabric.protos.common.Block;

/**
 * Decides the validation code of each transaction of a verified block before it is committed
 * (Fabric's {@code txvalidator.Validator}). The committer writes the result as the block's
 * {@code TRANSACTIONS_FILTER}. Peer-node wires Fabric's rules here; the committer's own default
 * only marks unparseable envelopes and duplicate tx ids.
 */
@FunctionalInterface
public interface TxValidator {

    /**
     * One code per transaction ({@code peer.TxValidationCode}), in block order.
     *
     * @throws InvalidBlockException when the block must not be committed at all (in Fabric, a config
     *     transaction that does not apply to the current config, or a ledger read failure)
     */
    byte[] validate(Block block) throws InvalidBlockException;
}
