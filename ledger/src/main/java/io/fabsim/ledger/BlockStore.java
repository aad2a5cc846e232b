package io.fabsim.ledger;

import org.hyperledger.fabric.protos.common.Block;

/**
 * The blocks of one channel, append-only. One writer and many readers: readers never see a
 * half-written block. Implementations are durable: when {@link #append} returns, the block is on disk.
 */
public interface BlockStore extends AutoCloseable {

    String channelId();

    /**
     * Appends the next block. Its number must equal {@link #height()} and its previous hash must
     * equal the header hash of the last block, else a {@link LedgerException} naming the channel,
     * the numbers and the hashes.
     */
    void append(Block block) throws LedgerException;

    /** The number of blocks, i.e. the number the next block must have. */
    long height();

    /** Height, current block hash and previous block hash, read consistently. */
    ChainInfo info();

    /** Block {@code number}; a {@link LedgerException} when it is at or beyond the height. */
    Block block(long number) throws LedgerException;

    /**
     * An iterator from block {@code startNumber} (which may equal the height: the iterator then waits
     * for the next commit). {@link BlockIterator#next()} blocks until the block is committed, the
     * iterator is closed, or the store is closed. A start beyond the height is refused.
     */
    BlockIterator iterator(long startNumber) throws LedgerException;

    /** Closes the store and wakes every waiting iterator. */
    @Override
    void close();
}
