package io.fabsim.common.verify;

/**
 * A block failed verification: it is never passed on (the deliver client then reconnects,
 * preferring another orderer; gossip drops it). The message says channel, block, expected and actual.
 */
public class InvalidBlockException extends Exception {

    /** Which check failed. */
    public enum Reason {
        /** The header number is not the next one expected. */
        WRONG_NUMBER,
        /** {@code header.previous_hash} is not the header hash of the preceding block. */
        PREVIOUS_HASH_MISMATCH,
        /** {@code header.data_hash} is not the SHA-256 of the block's data. */
        DATA_HASH_MISMATCH,
        /** The orderer signature does not satisfy the channel's block validation policy. */
        BAD_SIGNATURE,
        /** The block is not well formed (missing header, data or metadata, or for another channel). */
        MALFORMED,
        /** A config block could not be applied. */
        BAD_CONFIG
    }

    private final Reason reason;

    public InvalidBlockException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public InvalidBlockException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** Which check a {@link ChannelBlockVerifier} failure is, from its cause and Fabric's message. */
    public static Reason reasonOf(BlockVerificationException e) {
        String message = String.valueOf(e.getMessage());
        if (e.getCause() instanceof PolicyEvaluationException) {
            return Reason.BAD_SIGNATURE;
        }
        if (message.startsWith("Claimed seqNum")) {
            return Reason.WRONG_NUMBER;
        }
        if (message.startsWith("Header.DataHash")) {
            return Reason.DATA_HASH_MISMATCH;
        }
        if (message.contains("previous hash mismatch")) {
            return Reason.PREVIOUS_HASH_MISMATCH;
        }
        return Reason.MALFORMED;
    }
}
