package io.fabsim.ledger;

import java.util.List;
import org.hyperledger.fabric.protos.common.Block;

/**
 * The ledgers under one root directory, one per channel (Fabric's {@code LedgerMgr}): list, open,
 * create from a genesis block. A directory that is not a ledger is skipped with a warning.
 */
public interface LedgerManager extends AutoCloseable {

    /** The channel ids of every ledger under the root, sorted. */
    List<String> ledgerIds() throws LedgerException;

    boolean exists(String channelId);

    /** Opens (or returns the already open) store of {@code channelId}. */
    BlockStore open(String channelId) throws LedgerException;

    /**
     * Creates the ledger of the channel named in the genesis block's channel header and appends the
     * genesis block; refused with a {@link LedgerException} when that ledger exists.
     */
    BlockStore create(Block genesisBlock) throws LedgerException;

    /** Closes every open store. */
    @Override
    void close();
}
