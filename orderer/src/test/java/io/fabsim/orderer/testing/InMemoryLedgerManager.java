package io.fabsim.orderer.testing;

import io.fabsim.common.protoutil.Blocks;
import io.fabsim.common.protoutil.EnvelopeException;
import io.fabsim.ledger.BlockStore;
import io.fabsim.ledger.LedgerException;
import io.fabsim.ledger.LedgerManager;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hyperledger.fabric.protos.common.Block;

/** A {@link LedgerManager} of {@link InMemoryBlockStore}s. */
public final class InMemoryLedgerManager implements LedgerManager {

    private final Map<String, InMemoryBlockStore> stores = new TreeMap<>();

    @Override
    public synchronized List<String> ledgerIds() {
        return List.copyOf(stores.keySet());
    }

    @Override
    public synchronized boolean exists(String channelId) {
        return stores.containsKey(channelId);
    }

    @Override
    public synchronized BlockStore open(String channelId) throws LedgerException {
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
        if (stores.containsKey(channelId)) {
            throw new LedgerException("channel " + channelId + ": ledger exists");
        }
        InMemoryBlockStore store = new InMemoryBlockStore(channelId);
        store.append(genesisBlock);
        stores.put(channelId, store);
        return store;
    }

    @Override
    public synchronized void close() {
        stores.values().forEach(InMemoryBlockStore::close);
    }
}
