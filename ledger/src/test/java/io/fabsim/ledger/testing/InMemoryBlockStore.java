package io.fabsim.ledger.testing;

import io.fabsim.common.protoutil.BlockHashing;
import io.fabsim.ledger.BlockIterator;
import io.fabsim.ledger.BlockStore;
import io.fabsim.ledger.ChainInfo;
import io.fabsim.ledger.LedgerException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;

/** A {@link BlockStore} in memory, with the interface's checks and waiting iterators, for unit tests. */
public final class InMemoryBlockStore implements BlockStore {

    private final String channelId;
    private final List<Block> blocks = new ArrayList<>();
    private boolean closed;
    private int openIterators;

    public InMemoryBlockStore(String channelId) {
        this.channelId = channelId;
    }

    /** A store that already holds {@code initial} (taken as they are, from block 0 on). */
    public InMemoryBlockStore(String channelId, List<Block> initial) {
        this.channelId = channelId;
        blocks.addAll(initial);
    }

    @Override
    public String channelId() {
        return channelId;
    }

    @Override
    public synchronized void append(Block block) throws LedgerException {
        if (closed) {
            throw new LedgerException("channel " + channelId + ": store closed");
        }
        if (block.getHeader().getNumber() != blocks.size()) {
            throw new LedgerException("channel " + channelId + ": block number should have been " + blocks.size()
                    + " but was " + block.getHeader().getNumber());
        }
        if (!blocks.isEmpty()) {
            byte[] expected = BlockHashing.headerHash(blocks.get(blocks.size() - 1).getHeader());
            if (!Arrays.equals(expected, block.getHeader().getPreviousHash().toByteArray())) {
                throw new LedgerException("channel " + channelId + ": unexpected previous hash");
            }
        }
        blocks.add(block);
        notifyAll();
    }

    @Override
    public synchronized long height() {
        return blocks.size();
    }

    @Override
    public synchronized ChainInfo info() {
        byte[] current = blocks.isEmpty() ? new byte[0] : BlockHashing.headerHash(blocks.get(blocks.size() - 1).getHeader());
        byte[] previous = blocks.size() < 2 ? new byte[0] : BlockHashing.headerHash(blocks.get(blocks.size() - 2).getHeader());
        return new ChainInfo(blocks.size(), current, previous);
    }

    @Override
    public synchronized Block block(long number) throws LedgerException {
        if (number < 0 || number >= blocks.size()) {
            throw new LedgerException("channel " + channelId + ": no block " + number + ", height " + blocks.size());
        }
        return blocks.get((int) number);
    }

    @Override
    public synchronized BlockIterator iterator(long startNumber) throws LedgerException {
        if (startNumber < 0 || startNumber > blocks.size()) {
            throw new LedgerException("channel " + channelId + ": iterator start " + startNumber + " beyond height " + blocks.size());
        }
        openIterators++;
        return new Iterator(startNumber);
    }

    /** Iterators opened and not yet closed. */
    public synchronized int openIterators() {
        return openIterators;
    }

    @Override
    public synchronized void close() {
        closed = true;
        notifyAll();
    }

    private final class Iterator implements BlockIterator {
        private long next;
        private boolean iteratorClosed;

        Iterator(long start) {
            this.next = start;
        }

        @Override
        public Block next() throws LedgerException, InterruptedException {
            synchronized (InMemoryBlockStore.this) {
                while (next >= blocks.size() && !iteratorClosed && !closed) {
                    InMemoryBlockStore.this.wait();
                }
                if (iteratorClosed || closed) {
                    throw new LedgerException("channel " + channelId + ": iterator closed");
                }
                return blocks.get((int) next++);
            }
        }

        @Override
        public long position() {
            synchronized (InMemoryBlockStore.this) {
                return next;
            }
        }

        @Override
        public void close() {
            synchronized (InMemoryBlockStore.this) {
                if (!iteratorClosed) {
                    openIterators--;
                }
                iteratorClosed = true;
                InMemoryBlockStore.this.notifyAll();
            }
        }
    }
}
