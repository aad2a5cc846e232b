package io.fabsim.benchmarks.ledger;

import io.fabsim.common.time.Clock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;

/**
 * The latency of one appended record made durable, as the block store does per block: a positional
 * write of {@code size} bytes at the end of a file, then {@code FileChannel.force(false)}
 * (fdatasync; Fabric's block writer calls fsync once per block too). Prints percentiles of the
 * force alone and of write + force, and the block rate one force per block allows when blocks are
 * written one after another. Run on the disk to measure:
 * {@code java -cp benchmarks/target/benchmarks.jar io.fabsim.benchmarks.ledger.FsyncLatency [dir] [bytes] [count]}
 * (defaults: the temporary directory, 10240 bytes, 500 writes). The file is deleted afterwards.
 */
public final class FsyncLatency {

    private FsyncLatency() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : System.getProperty("java.io.tmpdir"));
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 10_240;
        int count = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        if (size < 1 || count < 10) {
            throw new IllegalArgumentException("expected bytes >= 1 and count >= 10, got " + size + " and " + count);
        }
        Clock clock = Clock.system();
        Path file = Files.createTempFile(dir, "fabsim-fsync", ".bin");
        long[] force = new long[count];
        long[] total = new long[count];
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer record = ByteBuffer.allocate(size);
            long position = 0;
            for (int i = 0; i < count; i++) {
                record.clear();
                long start = clock.nanoTime();
                while (record.hasRemaining()) {
                    position += channel.write(record, position);
                }
                long written = clock.nanoTime();
                channel.force(false);
                long done = clock.nanoTime();
                force[i] = done - written;
                total[i] = done - start;
            }
        } finally {
            Files.deleteIfExists(file);
        }
        System.out.printf(Locale.ROOT, "%d appends of %d bytes to %s, each followed by force(false)%n", count, size, dir);
        print("force", force);
        print("write + force", total);
        Arrays.sort(total);
        System.out.printf(Locale.ROOT, "one force per block, blocks written one after another: about %.0f blocks/s at the "
                + "median, %.0f blocks/s if every block took the p99%n", 1e9 / total[count / 2], 1e9 / total[count * 99 / 100]);
    }

    private static void print(String what, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        System.out.printf(Locale.ROOT, "%-14s p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms, mean %.2f ms%n", what,
                sorted[n / 2] / 1e6, sorted[n * 90 / 100] / 1e6, sorted[n * 99 / 100] / 1e6, sorted[n - 1] / 1e6,
                Arrays.stream(sorted).average().orElse(0) / 1e6);
    }
}
