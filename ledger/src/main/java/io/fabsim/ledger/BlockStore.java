package io.fabsim.ledger;

import java.util.Optional;
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

    /**
     * The serialized bytes of block {@code number}, exactly as appended. The default serializes
     * {@link #block(long)}; file stores return the stored bytes without parsing them.
     */
    default byte[] blockBytes(long number) throws LedgerException {
        return block(number).toByteArray();
    }

    /**
     * The number of the first committed block holding a transaction with this id (the ChannelHeader
     * {@code tx_id} of one of its envelopes), Fabric's duplicate-transaction check. The default scans
     * the chain; file stores answer from an index rebuilt at open.
     */
    default Optional<Long> blockNumberOfTx(String txId) throws LedgerException {
        long height = height();
        for (long n = 0; n < height; n++) {
            if (BlockEnvelopes.txIds(block(n)).contains(txId)) {
                return Optional.of(n);
            }
        }
        return Optional.empty();
    }

    /** Whether a committed block holds a transaction with this id. */
    default boolean txIdExists(String txId) throws LedgerException {
        return blockNumberOfTx(txId).isPresent();
    }

    /** The first committed block holding a transaction with this id, if any. */
    default Optional<Block> blockByTxId(String txId) throws LedgerException {
        Optional<Long> number = blockNumberOfTx(txId);
        return number.isPresent() ? Optional.of(block(number.get())) : Optional.empty();
    }

    /** Closes the store and wakes every waiting iterator. */
    @Override
    void close();
}
