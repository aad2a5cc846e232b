package io.fabsim.ledger.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabsim.ledger.ChainInfo;
import io.fabsim.ledger.LedgerConfig;
import io.fabsim.ledger.LedgerException;
import io.fabsim.ledger.testing.TestBlocks;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a crash (or a disk) can leave in block files, and how opening deals with it. */
class TornTailAndCorruptionTest {

    private static final LedgerConfig CONFIG = LedgerConfig.defaults().withFsync(false);

    @TempDir
    Path dir;

    private final List<Block> chain = TestBlocks.chain("ch1", 4, 2, 60, 11);

    @Test
    void aCrashAtEveryByteOfTheLastRecordLeavesTheChainBeforeIt() throws Exception {
        ChainInfo beforeLast = write(chain.subList(0, 3));
        Path file = BlockFiles.path(dir, 0);
        long lastStart = Files.size(file);
        write(chain.subList(3, 4));
        byte[] full = Files.readAllBytes(file);
        assertThat(full.length - lastStart).isGreaterThan(200);
        for (long length = lastStart; length < full.length; length++) {
            Files.write(file, java.util.Arrays.copyOf(full, (int) length));
            try (FileBlockStore store = FileBlockStore.open(dir, "ch1", CONFIG)) {
                assertThat(store.info()).as("truncated to %d bytes", length).isEqualTo(beforeLast);
                assertThat(Files.size(file)).isEqualTo(lastStart);
                store.append(chain.get(3));
                assertThat(store.block(3)).isEqualTo(chain.get(3));
            }
            assertThat(Files.readAllBytes(file)).isEqualTo(full);
        }
    }

    @Test
    void aLastRecordWithABadChecksumAndNothingAfterItIsATornTail() throws Exception {
        ChainInfo beforeLast = write(chain.subList(0, 3));
        Path file = BlockFiles.path(dir, 0);
        long lastStart = Files.size(file);
        write(chain.subList(3, 4));
        flipByte(file, Files.size(file) - 5);
        try (FileBlockStore store = FileBlockStore.open(dir, "ch1", CONFIG)) {
            assertThat(store.info()).isEqualTo(beforeLast);
        }
        assertThat(Files.size(file)).isEqualTo(lastStart);
    }

    @Test
    void zerosAfterTheLastRecordAreDropped() throws Exception {
        ChainInfo all = write(chain);
        Path file = BlockFiles.path(dir, 0);
        long size = Files.size(file);
        Files.write(file, new byte[4096], java.nio.file.StandardOpenOption.APPEND);
        try (FileBlockStore store = FileBlockStore.open(dir, "ch1", CONFIG)) {
            assertThat(store.info()).isEqualTo(all);
        }
        assertThat(Files.size(file)).isEqualTo(size);
    }

    @Test
    void aBadBlockChecksumBeforeTheTailIsRefusedNamingFileAndOffset() throws Exception {
        write(chain.subList(0, 1));
        long secondStart = Files.size(BlockFiles.path(dir, 0));
        write(chain.subList(1, 4));
        Path file = BlockFiles.path(dir, 0);
        long size = Files.size(file);
        flipByte(file, secondStart + BlockRecord.HEADER_SIZE + 30);
        assertThatThrownBy(() -> FileBlockStore.open(dir, "ch1", CONFIG)).isInstanceOf(LedgerException.class)
                .hasMessageContaining("channel ch1: corrupt block file " + file + " at offset " + secondStart + ": ")
                .hasMessageContaining("block checksum (CRC32C) mismatch")
                .hasMessageContaining("not a torn tail");
        assertThat(Files.size(file)).isEqualTo(size);
    }

    @Test
    void aDamagedRecordHeaderBeforeTheTailIsRefused() throws Exception {
        write(chain.subList(0, 2));
        long thirdStart = Files.size(BlockFiles.path(dir, 0));
        write(chain.subList(2, 4));
        Path file = BlockFiles.path(dir, 0);
        flipByte(file, thirdStart + 1);
        assertThatThrownBy(() -> FileBlockStore.open(dir, "ch1", CONFIG)).isInstanceOf(LedgerException.class)
                .hasMessageContaining("at offset " + thirdStart + ": record header checksum mismatch");
    }

    @Test
    void aBadRecordAtTheEndOfAnEarlierFileIsRefusedWhenLaterFilesHoldBlocks() throws Exception {
        LedgerConfig small = CONFIG.withMaxBlockfileSize(1024);
        List<Block> big = TestBlocks.chain("ch1", 6, 2, 300, 12);
        try (FileBlockStore store = FileBlockStore.open(dir, "ch1", small)) {
            for (Block block : big) {
                store.append(block);
            }
        }
        Path first = BlockFiles.path(dir, 1);
        flipByte(first, Files.size(first) - 3);
        assertThatThrownBy(() -> FileBlockStore.open(dir, "ch1", small)).isInstanceOf(LedgerException.class)
                .hasMessageContaining("corrupt block file " + first);
    }

    @Test
    void aMissingBlockFileIsRefused() throws Exception {
        LedgerConfig small = CONFIG.withMaxBlockfileSize(1024);
        try (FileBlockStore store = FileBlockStore.open(dir, "ch1", small)) {
            for (Block block : TestBlocks.chain("ch1", 6, 2, 300, 12)) {
                store.append(block);
            }
        }
        Files.delete(BlockFiles.path(dir, 2));
        assertThatThrownBy(() -> FileBlockStore.open(dir, "ch1", small)).isInstanceOf(LedgerException.class)
                .hasMessageContaining("blockfile_000002 is missing");
    }

    @Test
    void aValidRecordOutOfSequenceIsRefused() throws Exception {
        write(chain.subList(0, 2));
        Path file = BlockFiles.path(dir, 0);
        byte[] bytes = chain.get(3).toByteArray();
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(raf.length());
            byte[] header = BlockRecord.header(bytes).array();
            raf.write(header);
            raf.write(bytes);
        }
        assertThatThrownBy(() -> FileBlockStore.open(dir, "ch1", CONFIG)).isInstanceOf(LedgerException.class)
                .hasMessageContaining("expected block 2, found block 3");
    }

    @Test
    void aTruncatedLastRecordAfterARollLeavesTheEarlierFilesAlone() throws Exception {
        LedgerConfig small = CONFIG.withMaxBlockfileSize(1024);
        List<Block> big = TestBlocks.chain("ch1", 6, 2, 300, 13);
        ChainInfo beforeLast;
        try (FileBlockStore store = FileBlockStore.open(dir, "ch1", small)) {
            for (Block block : big.subList(0, 5)) {
                store.append(block);
            }
            beforeLast = store.info();
            store.append(big.get(5));
        }
        List<Path> files = BlockFiles.list(dir, "ch1");
        assertThat(files).hasSizeGreaterThan(2);
        Path last = files.get(files.size() - 1);
        try (RandomAccessFile raf = new RandomAccessFile(last.toFile(), "rw")) {
            raf.setLength(raf.length() / 2);
        }
        try (FileBlockStore store = FileBlockStore.open(dir, "ch1", small)) {
            assertThat(store.info()).isEqualTo(beforeLast);
            store.append(big.get(5));
        }
        assertThat(Files.size(last)).isGreaterThan(0);
    }

    @Test
    void aBlockDamagedAfterOpenIsReportedOnReadNotReturned() throws Exception {
        write(chain.subList(0, 1));
        long secondStart = Files.size(BlockFiles.path(dir, 0));
        write(chain.subList(1, 4));
        try (FileBlockStore store = FileBlockStore.open(dir, "ch1", CONFIG)) {
            flipByte(BlockFiles.path(dir, 0), secondStart + BlockRecord.HEADER_SIZE + 40);
            String expected = "channel ch1: block 1: checksum mismatch in " + BlockFiles.path(dir, 0) + " at offset "
                    + secondStart + " (the file changed after open)";
            assertThatThrownBy(() -> store.block(1)).isInstanceOf(LedgerException.class).hasMessage(expected);
            assertThatThrownBy(() -> store.blockBytes(1)).isInstanceOf(LedgerException.class).hasMessage(expected);
            assertThat(store.block(2)).isEqualTo(chain.get(2));
        }
    }

    private ChainInfo write(List<Block> blocks) throws LedgerException {
        try (FileBlockStore store = FileBlockStore.open(dir, "ch1", CONFIG)) {
            for (Block block : blocks) {
                store.append(block);
            }
            return store.info();
        }
    }

    private static void flipByte(Path file, long offset) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            int b = raf.read();
            raf.seek(offset);
            raf.write(b ^ 0x5a);
        }
    }
}
