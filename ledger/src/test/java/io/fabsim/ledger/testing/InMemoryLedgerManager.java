package io.fabsim.ledger.testing;

import io.fabsim.common.protoutil.Blocks;
import io.fabsim.common.protoutil.EnvelopeException;
import io.fabsim.ledger.BlockStore;
import io.fabsim.ledger.LedgerException;
import io.fabsim.ledger.LedgerManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.hyperledger.fabric.protos.common.Block;

/**
 * A {@link LedgerManager} of {@link InMemoryBlockStore}s, for unit tests; ledgers marked
 * {@link #markBroken broken} are listed but fail to open.
 */
public final class InMemoryLedgerManager implements LedgerManager {

    private final Map<String, InMemoryBlockStore> stores = new TreeMap<>();
    private final Set<String> broken = new TreeSet<>();
    private boolean closed;

    /** Lists {@code channelId} as a ledger whose {@link #open} fails, like a corrupt block file. */
    public synchronized void markBroken(String channelId) {
        broken.add(channelId);
    }

    /** True once {@link #close()} ran. */
    public synchronized boolean isClosed() {
        return closed;
    }

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
        InMemoryBlockStore store = stores.get(channelId);
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
            throw new LedgerException("genesis block has no channel id: " + e.getMessage(), e);
        }
        if (exists(channelId)) {
            throw new LedgerException("channel " + channelId + ": ledger exists");
        }
        InMemoryBlockStore store = new InMemoryBlockStore(channelId);
        store.append(genesisBlock);
        stores.put(channelId, store);
        return store;
    }

    @Override
    public synchronized void close() {
        closed = true;
        stores.values().forEach(InMemoryBlockStore::close);
    }
}
