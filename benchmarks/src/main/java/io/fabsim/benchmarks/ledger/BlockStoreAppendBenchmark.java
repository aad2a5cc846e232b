package io.fabsim.benchmarks.ledger;

import io.fabsim.ledger.LedgerConfig;
import io.fabsim.ledger.LedgerException;
import io.fabsim.ledger.file.FileBlockStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@link FileBlockStore#append} (serialize, CRC32C, header hash, tx-id index, write, optional force)
 * against a plain {@link FileChannel} writing the same number of bytes (block plus 12-byte record
 * header) with the same force setting. The store and the baseline file are fresh for every
 * iteration and deleted after it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BlockStoreAppendBenchmark {

    @Param({"1024", "102400", "1048576"})
    int blockBytes;

    @Param({"false", "true"})
    boolean fsync;

    private Path dir;
    private FileBlockStore store;
    private BenchBlocks blocks;
    private FileChannel plain;
    private byte[] record;
    private long plainOffset;

    @Setup(Level.Iteration)
    public void setUp() throws IOException, LedgerException {
        BenchBlocks.quietLogging();
        dir = Files.createTempDirectory("fabsim-ledger-bench");
        store = FileBlockStore.open(dir.resolve("store"), BenchBlocks.CHANNEL,
                LedgerConfig.defaults().withFsync(fsync));
        blocks = new BenchBlocks(blockBytes, 1);
        record = new byte[12 + blocks.next().getSerializedSize()];
        blocks = new BenchBlocks(blockBytes, 1);
        plain = FileChannel.open(dir.resolve("plain"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        plainOffset = 0;
    }

    @TearDown(Level.Iteration)
    public void tearDown() throws IOException {
        store.close();
        plain.close();
        BenchBlocks.deleteRecursively(dir);
    }

    @Benchmark
    public long append() throws LedgerException {
        store.append(blocks.next());
        return store.height();
    }

    /** The harness's share of {@link #append()}: making the next linked block (header and its hash). */
    @Benchmark
    public Object nextBlockOnly() {
        return blocks.next();
    }

    @Benchmark
    public long plainFileChannelWrite() throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(record);
        while (buffer.hasRemaining()) {
            plainOffset += plain.write(buffer, plainOffset);
        }
        if (fsync) {
            plain.force(false);
        }
        return plainOffset;
    }
}
