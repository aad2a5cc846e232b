package io.fabsim.deliver;

/**
 * Thrown by a {@link BlockSink}: a block passed on earlier never reached the ledger (the committer
 * refused it after the sink took it), so the block offered now cannot be used. The deliver client
 * then asks again from the ledger height instead of from the offered block.
 */
public class LostBlocksException extends RuntimeException {

    private final long firstLost;

    public LostBlocksException(String message, long firstLost) {
        super(message);
        this.firstLost = firstLost;
    }

    /** The lowest block number the sink lost. */
    public long firstLost() {
        return firstLost;
    }
}
