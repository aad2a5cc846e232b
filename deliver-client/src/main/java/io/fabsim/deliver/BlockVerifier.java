package io.fabsim.deliver;

import io.fabsim.common.verify.InvalidBlockException;
import org.hyperledger.fabric.protos.common.Block;

/**
 * Verifies blocks under the channel's current configuration, as Fabric's
 * {@code MessageCryptoService.VerifyBlock} plus the 3.x {@code UpdatableBlockVerifier}. One instance
 * per delivery run; it is used by the deliver loop's thread only. peer-node wires it to the
 * channel config and block signature verification of {@code common}.
 *
 * <p>The deliver client itself checks the block number, the previous hash and the data hash before
 * calling {@link #verify}; the verifier must at least check the orderer signatures against the
 * channel's {@code /Channel/Orderer/BlockValidation} policy (and may repeat the other checks).
 */
public interface BlockVerifier {

    /** Verifies {@code block}, claimed to be block {@code blockNumber} of {@code channel}. */
    void verify(String channel, long blockNumber, Block block) throws InvalidBlockException;

    /**
     * Applies a verified config block: later blocks are verified under its configuration and
     * {@link #ordererAddresses()} returns its endpoints.
     */
    void updateConfig(Block configBlock) throws InvalidBlockException;

    /** The orderer endpoints of the configuration in force (global and per orderer org). */
    OrdererAddresses ordererAddresses();
}
