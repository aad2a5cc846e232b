package io.fabsim.benchmarks.ledger;

import io.fabsim.ledger.LedgerConfig;
import io.fabsim.ledger.LedgerException;
import io.fabsim.ledger.file.FileBlockStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Opening a closed store of about 64 MiB: the open reads every record, checks its CRC32C, parses the
 * block, checks numbers and the hash chain, and rebuilds the position and tx-id indexes (files in the
 * page cache, so this is the CPU cost of the scan).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class BlockStoreOpenBenchmark {

    private static final long STORE_BYTES = 64L * 1024 * 1024;

    @Param({"1024", "102400", "1048576"})
    int blockBytes;

    private Path dir;
    private LedgerConfig config;

    @Setup(Level.Trial)
    public void setUp() throws IOException, LedgerException {
        BenchBlocks.quietLogging();
        dir = Files.createTempDirectory("fabsim-ledger-open-bench");
        config = LedgerConfig.defaults().withFsync(false);
        BenchBlocks blocks = new BenchBlocks(blockBytes, 3);
        try (FileBlockStore store = FileBlockStore.open(dir, BenchBlocks.CHANNEL, config)) {
            long count = Math.max(16, STORE_BYTES / blockBytes);
            for (long n = 0; n < count; n++) {
                store.append(blocks.next());
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        BenchBlocks.deleteRecursively(dir);
    }

    @Benchmark
    public long openWholeStore() throws LedgerException {
        try (FileBlockStore store = FileBlockStore.open(dir, BenchBlocks.CHANNEL, config)) {
            return store.height();
        }
    }
}
