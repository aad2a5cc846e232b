package io.fabsim.deliver;

import com.google.protobuf.ByteString;
import io.fabsim.common.protoutil.BlockHashing;
import io.fabsim.common.verify.InvalidBlockException;
import java.util.Arrays;
import java.util.HexFormat;
import org.hyperledger.fabric.protos.common.Block;

/**
 * Where the deliver loop stands in the chain: the number of the next block to pass on and the
 * header hash it must chain to. Checks the structural rules of a received block (number, previous
 * hash, data hash) before the {@link BlockVerifier} checks signatures. Used by the loop's thread only.
 */
final class ChainCursor {

    private static final HexFormat HEX = HexFormat.of();

    private final String channel;
    private long next = -1;
    private byte[] previousHash;

    ChainCursor(String channel) {
        this.channel = channel;
    }

    /** The block number to request: never below the ledger, never one already passed on. */
    long resumeFrom(LedgerInfo ledger) throws LedgerInfoException {
        long height = ledger.ledgerHeight();
        if (height > next) {
            next = height;
            previousHash = height == 0 ? null : ledger.currentBlockHash().orElse(null);
        }
        return next;
    }

    long next() {
        return next;
    }

    /** Throws unless {@code block} is the next block of this chain, with a correct data hash. */
    void check(Block block) throws InvalidBlockException {
        if (!block.hasHeader() || !block.hasData() || !block.hasMetadata()) {
            throw new InvalidBlockException(InvalidBlockException.Reason.MALFORMED,
                    "channel " + channel + ": block " + next + ": missing header, data or metadata");
        }
        long number = block.getHeader().getNumber();
        if (number != next) {
            throw new InvalidBlockException(InvalidBlockException.Reason.WRONG_NUMBER, "Claimed seqNum is ["
                    + Long.toUnsignedString(next) + "] but actual seqNum inside block is [" + Long.toUnsignedString(number) + "]");
        }
        ByteString claimedPrevious = block.getHeader().getPreviousHash();
        if (previousHash != null && !Arrays.equals(previousHash, claimedPrevious.toByteArray())) {
            throw new InvalidBlockException(InvalidBlockException.Reason.PREVIOUS_HASH_MISMATCH, "channel " + channel
                    + ": block " + number + ": previous hash mismatch: expected " + HEX.formatHex(previousHash)
                    + " got " + HEX.formatHex(claimedPrevious.toByteArray()));
        }
        byte[] dataHash = BlockHashing.dataHash(block.getData());
        if (!Arrays.equals(dataHash, block.getHeader().getDataHash().toByteArray())) {
            throw new InvalidBlockException(InvalidBlockException.Reason.DATA_HASH_MISMATCH,
                    "Header.DataHash is different from Hash(block.Data) for block with id [" + number + "] on channel ["
                            + channel + "]: header " + HEX.formatHex(block.getHeader().getDataHash().toByteArray())
                            + ", computed " + HEX.formatHex(dataHash));
        }
    }

    /**
     * Forgets what was passed on: the next {@link #resumeFrom} returns the ledger height, as Fabric's
     * deliverer always does. Called when the sink reports that a block it took never reached the ledger.
     */
    void rewind() {
        next = -1;
        previousHash = null;
    }

    /** Records that {@code block} (already checked) was passed on. */
    void advance(Block block) {
        previousHash = BlockHashing.headerHash(block.getHeader());
        next = block.getHeader().getNumber() + 1;
    }
}
