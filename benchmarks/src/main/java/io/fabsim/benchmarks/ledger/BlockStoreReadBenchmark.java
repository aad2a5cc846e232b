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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.Block;
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
 * Random reads from a store of about 64 MiB (65,536 blocks of 1 KB, 640 of 100 KB, 64 of 1 MB, in one
 * file): {@code block(n)} (read, checksum, parse), {@code blockBytes(n)} (read, checksum, copy), and a
 * plain {@link FileChannel} positional read of the same record at the same offset.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BlockStoreReadBenchmark {

    private static final long STORE_BYTES = 64L * 1024 * 1024;

    @Param({"1024", "102400", "1048576"})
    int blockBytes;

    private Path dir;
    private FileBlockStore store;
    private FileChannel plain;
    private long[] offsets;
    private int[] lengths;
    private LedgerConfig config;

    @Setup(Level.Trial)
    public void setUp() throws IOException, LedgerException {
        BenchBlocks.quietLogging();
        dir = Files.createTempDirectory("fabsim-ledger-read-bench");
        config = LedgerConfig.defaults().withFsync(false).withMaxBlockfileSize(LedgerConfig.MAX_BLOCKFILE_SIZE);
        store = FileBlockStore.open(dir, BenchBlocks.CHANNEL, config);
        BenchBlocks blocks = new BenchBlocks(blockBytes, 2);
        int count = (int) Math.max(16, STORE_BYTES / blockBytes);
        offsets = new long[count];
        lengths = new int[count];
        long offset = 0;
        for (int n = 0; n < count; n++) {
            Block block = blocks.next();
            store.append(block);
            offsets[n] = offset;
            lengths[n] = 12 + block.getSerializedSize();
            offset += lengths[n];
        }
        plain = FileChannel.open(dir.resolve("blockfile_000000"), StandardOpenOption.READ);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        store.close();
        plain.close();
        BenchBlocks.deleteRecursively(dir);
    }

    @Benchmark
    public Block block() throws LedgerException {
        return store.block(ThreadLocalRandom.current().nextInt(offsets.length));
    }

    @Benchmark
    public byte[] blockBytes() throws LedgerException {
        return store.blockBytes(ThreadLocalRandom.current().nextInt(offsets.length));
    }

    @Benchmark
    public byte[] plainFileChannelRead() throws IOException {
        int n = ThreadLocalRandom.current().nextInt(offsets.length);
        byte[] bytes = new byte[lengths[n]];
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long at = offsets[n];
        while (buffer.hasRemaining()) {
            at += plain.read(buffer, at);
        }
        return bytes;
    }
}
