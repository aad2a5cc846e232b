package io.fabsim.ledger.file;

import io.fabsim.ledger.BlockIterator;
import io.fabsim.ledger.LedgerException;
import org.hyperledger.fabric.protos.common.Block;

/** Reads committed blocks in order from a {@link FileBlockStore}, waiting for the next commit. */
final class FileBlockIterator implements BlockIterator {

    private final FileBlockStore store;
    private volatile long position;
    private volatile boolean closed;

    FileBlockIterator(FileBlockStore store, long start) {
        this.store = store;
        this.position = start;
    }

    @Override
    public Block next() throws LedgerException, InterruptedException {
        long number = position;
        if (!store.awaitHeightAbove(number, () -> closed)) {
            if (store.isClosed()) {
                throw store.closedException();
            }
            throw new LedgerException("channel " + store.channelId() + ": iterator at block " + number + " is closed");
        }
        Block block = store.block(number);
        position = number + 1;
        return block;
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public void close() {
        closed = true;
        store.wakeWaiters();
    }
}
