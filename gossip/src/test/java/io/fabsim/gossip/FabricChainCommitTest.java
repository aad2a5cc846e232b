package io.fabsim.gossip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabsim.common.protoutil.BlockHashing;
import io.fabsim.common.testing.FabricVectors;
import io.fabsim.common.time.Clock;
import io.fabsim.ledger.testing.InMemoryBlockStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.Test;

/** Commits the 15-block chain made by Fabric v2.5.12 (vectors) through the buffer and committer. */
class FabricChainCommitTest {

    private static Block vector(int n) throws Exception {
        return Block.parseFrom(FabricVectors.read(FabricVectors.chainBlock(n)));
    }

    @Test
    void fabricChainCommitsInOrderWithAllTransactionsValidAndConfigBlockTenAnnounced() throws Exception {
        FabricVectors.dir();
        List<Block> chain = new ArrayList<>();
        for (int n = 0; n < 15; n++) {
            chain.add(vector(n));
        }
        GossipMetrics.Channel metrics = GossipMetrics.unexported().channel("vectors");
        InMemoryBlockStore store = new InMemoryBlockStore("vectors", chain.subList(0, 1));
        List<Long> configBlocks = Collections.synchronizedList(new ArrayList<>());
        try (PayloadBuffer buffer = new PayloadBuffer("vectors", 1, 20, Duration.ofSeconds(5), metrics, Clock.system());
                Committer committer = new Committer(new Committer.Setup("peer0", store, buffer,
                        TestBlockVerifiers.DATA_HASH, TxIdIndex.inMemory(), Clock.system(), metrics))) {
            committer.setConfigListener((channel, block) -> configBlocks.add(block.getHeader().getNumber()));
            committer.start();
            for (int n = 14; n >= 1; n--) {
                buffer.add(chain.get(n), n % 2 == 0 ? Source.GOSSIP : Source.STATE_TRANSFER);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> store.height() == 15);
        }
        assertThat(store.info().currentBlockHash()).isEqualTo(BlockHashing.headerHash(chain.get(14).getHeader()));
        assertThat(configBlocks).containsExactly(10L);
        for (int n = 1; n < 15; n++) {
            Block committed = store.block(n);
            assertThat(committed.getHeader()).isEqualTo(chain.get(n).getHeader());
            assertThat(BlockContents.filterOf(committed)).hasSize(committed.getData().getDataCount()).containsOnly(0);
            assertThat(committed.getMetadata().getMetadata(0)).isEqualTo(chain.get(n).getMetadata().getMetadata(0));
        }
    }

    @Test
    void fabricTamperedBlocksAreRefused() throws Exception {
        FabricVectors.dir();
        Block tampered = Block.parseFrom(FabricVectors.read(FabricVectors.dir().resolve("negative/block_3_tx_byte_changed.block")));
        Block badPrevious = Block.parseFrom(FabricVectors.read(FabricVectors.dir().resolve("negative/block_3_previous_hash_altered.block")));
        List<Block> chain = new ArrayList<>();
        for (int n = 0; n < 3; n++) {
            chain.add(vector(n));
        }
        GossipMetrics.Channel metrics = GossipMetrics.unexported().channel("vectors");
        InMemoryBlockStore store = new InMemoryBlockStore("vectors", chain);
        try (PayloadBuffer buffer = new PayloadBuffer("vectors", 3, 20, Duration.ofSeconds(5), metrics, Clock.system());
                Committer committer = new Committer(new Committer.Setup("peer0", store, buffer,
                        TestBlockVerifiers.DATA_HASH, TxIdIndex.inMemory(), Clock.system(), metrics))) {
            committer.start();
            buffer.add(tampered, Source.GOSSIP);
            await().atMost(Duration.ofSeconds(30)).until(() -> metrics.counters().rejected().get() == 1);
            buffer.add(badPrevious, Source.GOSSIP);
            await().atMost(Duration.ofSeconds(30)).until(() -> metrics.counters().rejected().get() == 2);
            assertThat(store.height()).isEqualTo(3);
            buffer.add(vector(3), Source.ORDERER);
            await().atMost(Duration.ofSeconds(30)).until(() -> store.height() == 4);
        }
    }
}
