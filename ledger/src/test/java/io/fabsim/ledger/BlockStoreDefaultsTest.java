package io.fabsim.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabsim.ledger.testing.TestBlocks;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.Test;

/** The default methods of {@link BlockStore} that in-memory fakes of other modules inherit. */
class BlockStoreDefaultsTest {

    /** The least a store must implement; everything else comes from the interface's defaults. */
    private static final class ListStore implements BlockStore {
        private final List<Block> blocks = new ArrayList<>();

        @Override
        public String channelId() {
            return "ch1";
        }

        @Override
        public void append(Block block) {
            blocks.add(block);
        }

        @Override
        public long height() {
            return blocks.size();
        }

        @Override
        public ChainInfo info() {
            throw new UnsupportedOperationException("not needed here");
        }

        @Override
        public Block block(long number) throws LedgerException {
            if (number < 0 || number >= blocks.size()) {
                throw new LedgerException("no block " + number);
            }
            return blocks.get((int) number);
        }

        @Override
        public BlockIterator iterator(long startNumber) {
            throw new UnsupportedOperationException("not needed here");
        }

        @Override
        public void close() {
        }
    }

    @Test
    void defaultsFindTransactionsAndBytesByScanning() throws Exception {
        List<Block> chain = TestBlocks.chain("ch1", 4, 2, 10, 21);
        try (ListStore store = new ListStore()) {
            chain.forEach(store::append);
            assertThat(store.blockNumberOfTx("tx-2-1")).contains(2L);
            assertThat(store.txIdExists("tx-3-0")).isTrue();
            assertThat(store.txIdExists("tx-4-0")).isFalse();
            assertThat(store.blockByTxId("tx-1-0")).contains(chain.get(1));
            assertThat(store.blockByTxId("nope")).isEmpty();
            assertThat(store.blockBytes(3)).isEqualTo(chain.get(3).toByteArray());
        }
    }

    @Test
    void txIdsSkipEmptyAndUnparsableEnvelopes() {
        Block genesis = TestBlocks.genesis("ch1");
        assertThat(BlockEnvelopes.txIds(genesis)).isEmpty();
        Block garbage = Block.newBuilder().setData(org.hyperledger.fabric.protos.common.BlockData.newBuilder()
                .addData(com.google.protobuf.ByteString.copyFrom(new byte[] {(byte) 0xff, 0x01}))).build();
        assertThat(BlockEnvelopes.txIds(garbage)).isEmpty();
        assertThat(BlockEnvelopes.txIds(TestBlocks.chain("ch1", 2, 3, 5, 1).get(1)))
                .containsExactly("tx-1-0", "tx-1-1", "tx-1-2");
    }
}
