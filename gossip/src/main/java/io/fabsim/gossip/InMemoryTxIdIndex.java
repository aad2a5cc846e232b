package io.fabsim.gossip;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

final class InMemoryTxIdIndex implements TxIdIndex {

    private final Set<String> ids = ConcurrentHashMap.newKeySet();

    @Override
    public boolean contains(String txId) {
        return ids.contains(txId);
    }

    @Override
    public void addAll(Collection<String> txIds) {
        ids.addAll(txIds);
    }
}
