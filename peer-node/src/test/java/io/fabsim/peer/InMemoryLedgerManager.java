package io.fabsim.peer;

import io.fabsim.common.protoutil.BlockHashing;
import io.fabsim.common.protoutil.Blocks;
import io.fabsim.common.protoutil.EnvelopeException;
import io.fabsim.ledger.BlockIterator;
import io.fabsim.ledger.BlockStore;
import io.fabsim.ledger.ChainInfo;
import io.fabsim.ledger.LedgerException;
import io.fabsim.ledger.LedgerManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.hyperledger.fabric.protos.common.Block;

/** A test ledger manager in memory; ids in {@link #broken} are listed but fail to open. */
final class InMemoryLedgerManager implements LedgerManager {

    final Map<String, Store> stores = new TreeMap<>();
    final Set<String> broken = ConcurrentHashMap.newKeySet();
    volatile boolean closed;

    @Override
    public synchronized List<String> ledgerIds() {
        List<String> ids = new ArrayList<>(stores.keySet());
        ids.addAll(broken);
        ids.sort(null);
        return ids;
    }

    @Override
    public synchronized boolean exists(String channelId) {
        return stores.containsKey(channelId) || broken.contains(channelId);
    }

    @Override
    public synchronized BlockStore open(String channelId) throws LedgerException {
        if (broken.contains(channelId)) {
            throw new LedgerException("channel " + channelId + ": block file is corrupt");
        }
        Store store = stores.get(channelId);
        if (store == null) {
            throw new LedgerException("channel " + channelId + ": no ledger");
        }
        return store;
    }

    @Override
    public synchronized BlockStore create(Block genesisBlock) throws LedgerException {
        String channelId;
        try {
            channelId = Blocks.channelId(genesisBlock);
        } catch (EnvelopeException e) {
            throw new LedgerException("not a genesis block: " + e.getMessage(), e);
        }
        if (exists(channelId)) {
            throw new LedgerException("channel " + channelId + ": ledger exists");
        }
        Store store = new Store(channelId);
        store.append(genesisBlock);
        stores.put(channelId, store);
        return store;
    }

    @Override
    public void close() {
        closed = true;
        stores.values().forEach(Store::close);
    }

    static final class Store implements BlockStore {
        private final String channelId;
        private final List<Block> blocks = new ArrayList<>();
        private boolean closed;

        Store(String channelId) {
            this.channelId = channelId;
        }

        @Override
        public String channelId() {
            return channelId;
        }

        @Override
        public synchronized void append(Block block) throws LedgerException {
            if (block.getHeader().getNumber() != blocks.size()) {
                throw new LedgerException("channel " + channelId + ": expected block " + blocks.size() + ", got "
                        + block.getHeader().getNumber());
            }
            if (!blocks.isEmpty() && !Arrays.equals(block.getHeader().getPreviousHash().toByteArray(),
                    BlockHashing.headerHash(blocks.get(blocks.size() - 1).getHeader()))) {
                throw new LedgerException("channel " + channelId + ": previous hash mismatch");
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
            byte[] current = blocks.isEmpty() ? new byte[0]
                    : BlockHashing.headerHash(blocks.get(blocks.size() - 1).getHeader());
            byte[] previous = blocks.isEmpty() ? new byte[0]
                    : blocks.get(blocks.size() - 1).getHeader().getPreviousHash().toByteArray();
            return new ChainInfo(blocks.size(), current, previous);
        }

        @Override
        public synchronized Block block(long number) throws LedgerException {
            if (number < 0 || number >= blocks.size()) {
                throw new LedgerException("channel " + channelId + ": no block " + number);
            }
            return blocks.get((int) number);
        }

        @Override
        public synchronized BlockIterator iterator(long startNumber) throws LedgerException {
            if (startNumber > blocks.size()) {
                throw new LedgerException("channel " + channelId + ": start " + startNumber + " beyond height");
            }
            return new BlockIterator() {
                private long next = startNumber;
                private boolean done;

                @Override
                public Block next() throws LedgerException, InterruptedException {
                    synchronized (Store.this) {
                        while (next >= blocks.size() && !done && !closed) {
                            Store.this.wait();
                        }
                        if (done || closed) {
                            throw new LedgerException("channel " + channelId + ": iterator closed");
                        }
                        return blocks.get((int) next++);
                    }
                }

                @Override
                public long position() {
                    return next;
                }

                @Override
                public void close() {
                    synchronized (Store.this) {
                        done = true;
                        Store.this.notifyAll();
                    }
                }
            };
        }

        @Override
        public synchronized void close() {
            closed = true;
            notifyAll();
        }
    }
}
