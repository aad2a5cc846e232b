package io.fabsim.ledger.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.fabsim.common.protoutil.BlockHashing;
import io.fabsim.common.testing.FabricVectors;
import io.fabsim.ledger.ChainInfo;
import io.fabsim.ledger.LedgerConfig;
import io.fabsim.ledger.LedgerException;
import io.fabsim.ledger.testing.TestBlocks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileBlockStoreTest {

    private static final LedgerConfig CONFIG = LedgerConfig.defaults().withFsync(false);

    @TempDir
    Path dir;

    @Test
    void appendedBlocksReadBackAndSurviveReopen() throws Exception {
        List<Block> chain = TestBlocks.chain("ch1", 10, 3, 200, 1);
        ChainInfo before;
        try (FileBlockStore store = FileBlockStore.open(dir, "ch1", LedgerConfig.defaults())) {
            assertThat(store.height()).isZero();
            assertThat(store.info()).isEqualTo(new ChainInfo(0, new byte[0], new byte[0]));
            for (Block block : chain) {
                store.append(block);
            }
            before = store.info();
            assertThat(store.block(7)).isEqualTo(chain.get(7));
            assertThat(store.blockBytes(4)).isEqualTo(chain.get(4).toByteArray());
        }
        try (FileBlockStore store = FileBlockStore.open(dir, "ch1", CONFIG)) {
            assertThat(store.info()).isEqualTo(before);
            assertThat(store.height()).isEqualTo(10);
            assertThat(before.currentBlockHash()).isEqualTo(BlockHashing.headerHash(chain.get(9).getHeader()));
            assertThat(before.previousBlockHash()).isEqualTo(BlockHashing.headerHash(chain.get(8).getHeader()));
            for (int n = 0; n < chain.size(); n++) {
                assertThat(store.block(n)).isEqualTo(chain.get(n));
            }
            store.append(TestBlocks.next(chain.get(9), "ch1", 1, 10, new java.util.Random(2)));
            assertThat(store.height()).isEqualTo(11);
        }
    }

    @Test
    void readsOutsideTheChainAreRefused() throws Exception {
        try (FileBlockStore store = FileBlockStore.open(dir, "ch1", CONFIG)) {
            store.append(TestBlocks.genesis("ch1"));
            assertThatThrownBy(() -> store.block(1)).isInstanceOf(LedgerException.class)
                    .hasMessage("channel ch1: block 1 not found: height is 1");
            assertThatThrownBy(() -> store.block(-1)).isInstanceOf(LedgerException.class);
        }
    }

    @Test
    void wrongNumberAndBrokenLinkAreRefusedNamingChannelNumbersAndHashes() throws Exception {
        List<Block> chain = TestBlocks.chain("ch1", 3, 1, 10, 1);
        try (FileBlockStore store = FileBlockStore.open(dir, "ch1", CONFIG)) {
            store.append(chain.get(0));
            assertThatThrownBy(() -> store.append(chain.get(2))).isInstanceOf(LedgerException.class)
                    .hasMessage("channel ch1: block number should have been 1 but was 2");
            Block forged = TestBlocks.block(1, ByteString.copyFrom(new byte[] {(byte) 0x9f, 0x3c}), List.of());
            String expected = HexFormat.of().formatHex(BlockHashing.headerHash(chain.get(0).getHeader()));
            assertThatThrownBy(() -> store.append(forged)).isInstanceOf(LedgerException.class)
                    .hasMessage("channel ch1: block 1: previous hash mismatch: expected " + expected + " got 9f3c");
            store.append(chain.get(1));
            assertThat(store.height()).isEqualTo(2);
        }
    }

    @Test
    void fabricChainGivesFabricsHeightAndHashes() throws Exception {
        try (FileBlockStore store = FileBlockStore.open(dir, "vectors", CONFIG)) {
            for (int n = 0; n < 15; n++) {
                store.append(Block.parseFrom(FabricVectors.read(FabricVectors.chainBlock(n))));
            }
            assertThat(store.info().height()).isEqualTo(15);
            assertThat(store.info().currentBlockHashHex())
                    .isEqualTo("707f831126d656b87d162e6925ba685780647de615539c03d95fe0f852270fc5");
            assertThat(store.info().previousBlockHashHex())
                    .isEqualTo("548127f35c10ac57861cf5440057a85932885df4ef603f382eb147954812777d");
            assertThat(store.blockBytes(3)).isEqualTo(FabricVectors.read(FabricVectors.chainBlock(3)));
        }
        try (FileBlockStore store = FileBlockStore.open(dir, "vectors", CONFIG)) {
            assertThat(store.info().currentBlockHashHex()).startsWith("707f8311");
        }
    }

    @Test
    void fabricNegativeVectorsAreRefusedAfterBlocksZeroToTwo() throws Exception {
        Path negative = FabricVectors.dir().resolve("negative");
        try (FileBlockStore store = FileBlockStore.open(dir, "vectors", CONFIG)) {
            for (int n = 0; n < 3; n++) {
                store.append(Block.parseFrom(FabricVectors.read(FabricVectors.chainBlock(n))));
            }
            Block altered = Block.parseFrom(FabricVectors.read(negative.resolve("block_3_previous_hash_altered.block")));
            assertThatThrownBy(() -> store.append(altered)).isInstanceOf(LedgerException.class)
                    .hasMessageContaining("channel vectors: block 3: previous hash mismatch: expected 4e0d4faf")
                    .hasMessageContaining(" got 4e0d40af");
            Block renumbered = Block.parseFrom(FabricVectors.read(negative.resolve("block_3_number_altered_to_4.block")));
            assertThatThrownBy(() -> store.append(renumbered)).isInstanceOf(LedgerException.class)
                    .hasMessage("channel vectors: block number should have been 3 but was 4");
            assertThat(store.height()).isEqualTo(3);
            store.append(Block.parseFrom(FabricVectors.read(FabricVectors.chainBlock(3))));
            assertThat(store.height()).isEqualTo(4);
        }
    }

    @Test
    void filesRollOverAtTheConfiguredSizeAndReadBackAfterReopen() throws Exception {
        LedgerConfig small = CONFIG.withMaxBlockfileSize(2048);
        List<Block> chain = TestBlocks.chain("ch1", 30, 2, 300, 3);
        try (FileBlockStore store = FileBlockStore.open(dir, "ch1", small)) {
            for (Block block : chain) {
                store.append(block);
            }
        }
        List<Path> files = blockFiles();
        assertThat(files).hasSizeGreaterThan(5);
        assertThat(files.get(0).getFileName().toString()).isEqualTo("blockfile_000000");
        for (Path file : files) {
            assertThat(Files.size(file)).isLessThanOrEqualTo(2048);
        }
        try (FileBlockStore store = FileBlockStore.open(dir, "ch1", small)) {
            assertThat(store.height()).isEqualTo(30);
            for (int n = 29; n >= 0; n--) {
                assertThat(store.block(n)).isEqualTo(chain.get(n));
            }
        }
    }

    @Test
    void aBlockLargerThanTheFileSizeGetsAFileOfItsOwn() throws Exception {
        LedgerConfig small = CONFIG.withMaxBlockfileSize(1024);
        List<Block> chain = TestBlocks.chain("ch1", 4, 1, 5000, 4);
        try (FileBlockStore store = FileBlockStore.open(dir, "ch1", small)) {
            for (Block block : chain) {
                store.append(block);
            }
            assertThat(store.block(2)).isEqualTo(chain.get(2));
        }
        assertThat(blockFiles()).hasSize(4);
    }

    @Test
    void largeBlocksReadBackAsBytesAndAsBlocks() throws Exception {
        List<Block> chain = TestBlocks.chain("ch1", 3, 4, 60_000, 6);
        try (FileBlockStore store = FileBlockStore.open(dir, "ch1", CONFIG)) {
            for (Block block : chain) {
                store.append(block);
            }
            assertThat(store.blockBytes(2)).hasSizeGreaterThan(200_000).isEqualTo(chain.get(2).toByteArray());
            assertThat(store.block(1)).isEqualTo(chain.get(1));
        }
    }

    @Test
    void transactionIdsAreIndexedAndRebuiltAtOpen() throws Exception {
        List<Block> chain = TestBlocks.chain("ch1", 5, 3, 50, 5);
        try (FileBlockStore store = FileBlockStore.open(dir, "ch1", CONFIG)) {
            for (Block block : chain) {
                store.append(block);
            }
            assertThat(store.blockNumberOfTx("tx-3-2")).contains(3L);
        }
        try (FileBlockStore store = FileBlockStore.open(dir, "ch1", CONFIG)) {
            assertThat(store.blockNumberOfTx("tx-3-2")).contains(3L);
            assertThat(store.blockNumberOfTx("tx-4-0")).contains(4L);
            assertThat(store.txIdExists("tx-1-1")).isTrue();
            assertThat(store.blockNumberOfTx("tx-9-0")).isEqualTo(Optional.empty());
            assertThat(store.blockNumberOfTx("")).isEmpty();
            assertThat(store.blockByTxId("tx-2-0")).contains(chain.get(2));
        }
    }

    @Test
    void closedStoreRefusesEverything() throws Exception {
        FileBlockStore store = FileBlockStore.open(dir, "ch1", CONFIG);
        store.append(TestBlocks.genesis("ch1"));
        store.close();
        store.close();
        assertThatThrownBy(() -> store.block(0)).isInstanceOf(LedgerException.class).hasMessageContaining("is closed");
        assertThatThrownBy(() -> store.append(TestBlocks.genesis("ch1"))).isInstanceOf(LedgerException.class)
                .hasMessageContaining("is closed");
        assertThatThrownBy(() -> store.iterator(0)).isInstanceOf(LedgerException.class);
    }

    @Test
    void aSecondStoreOnTheSameDirectoryIsRefusedUntilTheFirstCloses() throws Exception {
        try (FileBlockStore store = FileBlockStore.open(dir, "ch1", CONFIG)) {
            store.append(TestBlocks.genesis("ch1"));
            assertThatThrownBy(() -> FileBlockStore.open(dir, "ch1", CONFIG)).isInstanceOf(LedgerException.class)
                    .hasMessage("channel ch1: the block store in " + dir + " is already open in this process");
        }
        try (FileBlockStore store = FileBlockStore.open(dir, "ch1", CONFIG)) {
            assertThat(store.height()).isEqualTo(1);
        }
    }

    private List<Path> blockFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("blockfile_")).sorted().toList();
        }
    }
}
