package io.fabsim.deliverserver;

import io.fabsim.ledger.BlockIterator;
import io.fabsim.ledger.BlockStore;
import io.fabsim.ledger.LedgerException;
import org.hyperledger.fabric.protos.orderer.SeekPosition;

/**
 * Where a request starts, resolved as Fabric's file ledger {@code Iterator(startPosition)} does:
 * Oldest is 0, Newest is height - 1, Specified is the number, NextCommit is the height. A specified
 * start beyond the height, an unset position or an iterator the store refuses give a not-found
 * cursor at number 0, whose first read reports {@code NOT_FOUND}.
 */
final class SeekCursor implements AutoCloseable {

    private final BlockIterator iterator;
    private final long start;

    private SeekCursor(BlockIterator iterator, long start) {
        this.iterator = iterator;
        this.start = start;
    }

    static SeekCursor open(BlockStore store, SeekPosition position) {
        long height = store.height();
        long start;
        switch (position.getTypeCase()) {
            case OLDEST -> start = 0;
            case NEWEST -> start = height - 1;
            case SPECIFIED -> {
                start = position.getSpecified().getNumber();
                if (Long.compareUnsigned(start, height) > 0) {
                    return notFound();
                }
            }
            case NEXT_COMMIT -> start = height;
            default -> {
                return notFound();
            }
        }
        try {
            return new SeekCursor(store.iterator(start), start);
        } catch (LedgerException e) {
            return notFound();
        }
    }

    private static SeekCursor notFound() {
        return new SeekCursor(null, 0);
    }

    boolean isNotFound() {
        return iterator == null;
    }

    /** The number of the first block this cursor returns (0 for a not-found cursor). */
    long start() {
        return start;
    }

    BlockIterator iterator() {
        return iterator;
    }

    @Override
    public void close() {
        if (iterator != null) {
            iterator.close();
        }
    }
}
