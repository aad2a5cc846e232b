package io.fabsim.ledger;

import org.hyperledger.fabric.protos.common.Block;

/** A cursor over committed blocks that waits for blocks not yet committed. */
public interface BlockIterator extends AutoCloseable {

    /**
     * The next block, waiting for it to be committed if needed.
     *
     * @throws LedgerException when the iterator or the store was closed while waiting, or a read failed
     * @throws InterruptedException when the waiting thread is interrupted
     */
    Block next() throws LedgerException, InterruptedException;

    /** The number of the block the next call to {@link #next()} returns. */
    long position();

    /** Ends the iteration; a thread blocked in {@link #next()} wakes with a {@link LedgerException}. */
    @Override
    void close();
}
