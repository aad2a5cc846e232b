package io.fabsim.gossip;

import java.util.Collection;

/**
 * The transaction ids committed on one channel, for Fabric's duplicate-txid rule. Peer-node may wire
 * the ledger's index; {@link #inMemory()} keeps them in a set (rebuilt by the committer from the
 * ledger at start).
 */
public interface TxIdIndex {

    boolean contains(String txId);

    void addAll(Collection<String> txIds);

    static TxIdIndex inMemory() {
        return new InMemoryTxIdIndex();
    }
}
