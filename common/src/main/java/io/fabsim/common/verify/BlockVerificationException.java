package io.fabsim.common.verify;

/**
 * A block failed verification. Messages are Fabric's peer messages
 * ({@code Claimed seqNum is [3] but actual seqNum inside block is [4]},
 * {@code Header.DataHash is different from Hash(block.Data) for block with id [3] on channel [vectors]},
 * the BlockValidation policy failure), or for the hash chain
 * {@code channel vectors: block 3: previous hash mismatch: expected 4e0d4faf.. got 4e0d40af..}.
 */
public class BlockVerificationException extends Exception {

    private final long blockNumber;

    public BlockVerificationException(long blockNumber, String message) {
        super(message);
        this.blockNumber = blockNumber;
    }

    public BlockVerificationException(long blockNumber, String message, Throwable cause) {
        super(message, cause);
        this.blockNumber = blockNumber;
    }

    /** The number the block was offered as. */
    public long blockNumber() {
        return blockNumber;
    }
}
