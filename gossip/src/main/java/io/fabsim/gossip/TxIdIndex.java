package io.fabsim.gossip;

import io.fabsim.ledger.BlockStore;
import io.fabsim.ledger.LedgerException;
import java.util.Collection;

/**
 * The transaction ids committed on one channel, for Fabric's duplicate-txid rule.
 * {@link #ofLedger} asks the ledger's own tx-id index (memory stays flat; preferred in a peer);
 * {@link #inMemory()} keeps them in a set, rebuilt by the committer from the ledger at start.
 */
public interface TxIdIndex {

    boolean contains(String txId);

    void addAll(Collection<String> txIds);

    static TxIdIndex inMemory() {
        return new InMemoryTxIdIndex();
    }

    /**
     * The ledger's index ({@link BlockStore#txIdExists}); {@link #addAll} does nothing since the
     * store indexes what it appends. A read failure surfaces as an {@link IllegalStateException},
     * on which the committer refuses the block (it is fetched again later).
     */
    static TxIdIndex ofLedger(BlockStore store) {
        return new TxIdIndex() {
            @Override
            public boolean contains(String txId) {
                try {
                    return store.txIdExists(txId);
                } catch (LedgerException e) {
                    throw new IllegalStateException("channel " + store.channelId() + ": tx id index: " + e.getMessage(), e);
                }
            }

            @Override
            public void addAll(Collection<String> txIds) {
            }
        };
    }
}
