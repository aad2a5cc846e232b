package io.fabsim.deliver;

import java.util.Optional;

/**
 * What the deliver client needs from the local ledger (Fabric's {@code blocksprovider.LedgerInfo}):
 * where to resume. peer-node wires it to the channel's block store.
 */
public interface LedgerInfo {

    /** The number of committed blocks, i.e. the number of the next block to request. */
    long ledgerHeight() throws LedgerInfoException;

    /**
     * The header hash of the last committed block (Fabric 3.x {@code GetCurrentBlockHash}), so the
     * first block received can be checked to chain to it. Empty when the ledger is empty or the
     * hash is not known; the first block is then checked for everything but its previous hash.
     */
    default Optional<byte[]> currentBlockHash() throws LedgerInfoException {
        return Optional.empty();
    }
}
