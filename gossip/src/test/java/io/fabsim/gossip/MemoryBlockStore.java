package io.fabsim.gossip;

import io.fabsim.common.protoutil.BlockHashing;
import io.fabsim.ledger.BlockIterator;
import io.fabsim.ledger.BlockStore;
import io.fabsim.ledger.ChainInfo;
import io.fabsim.ledger.LedgerException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;

/** An in-memory {@link BlockStore} for tests: the same append rules as the file store, no iterator. */
public final class MemoryBlockStore implements BlockStore {

    private final String channelId;
    private final List<Block> blocks = new ArrayList<>();

    public MemoryBlockStore(String channelId, List<Block> initial) {
        this.channelId = channelId;
        blocks.addAll(initial);
    }

    @Override
    public String channelId() {
        return channelId;
    }

    @Override
    public synchronized void append(Block block) throws LedgerException {
        long number = block.getHeader().getNumber();
        if (number != blocks.size()) {
            throw new LedgerException("channel " + channelId + ": expected block " + blocks.size() + " got " + number);
        }
        if (number > 0 && !Arrays.equals(info().currentBlockHash(), block.getHeader().getPreviousHash().toByteArray())) {
            throw new LedgerException("channel " + channelId + ": block " + number + ": previous hash mismatch");
        }
        blocks.add(block);
    }

    @Override
    public synchronized long height() {
        return blocks.size();
    }

    @Override
    public synchronized ChainInfo info() {
        int n = blocks.size();
        byte[] current = n == 0 ? new byte[0] : BlockHashing.headerHash(blocks.get(n - 1).getHeader());
        byte[] previous = n < 2 ? new byte[0] : BlockHashing.headerHash(blocks.get(n - 2).getHeader());
        return new ChainInfo(n, current, previous);
    }

    @Override
    public synchronized Block block(long number) throws LedgerException {
        if (number < 0 || number >= blocks.size()) {
            throw new LedgerException("channel " + channelId + ": no block " + number + ", height " + blocks.size());
        }
        return blocks.get((int) number);
    }

    @Override
    public BlockIterator iterator(long startNumber) throws LedgerException {
        throw new LedgerException("not supported by the test store");
    }

    @Override
    public void close() {
    }
}
