package io.fabsim.ledger.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabsim.common.protoutil.BlockHashing;
import io.fabsim.ledger.LedgerConfig;
import io.fabsim.ledger.LedgerException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario: a writer process appends blocks of random sizes (small files, so it rolls over often) and
 * is killed with SIGKILL at random moments, six times, alternating fsync on and off.
 * Expected: every time, the store opens, keeps every block whose append had returned, and is
 * consistent: numbers, hash chain and reported chain info agree.
 */
class KillNineCrashTest {

    private static final int ROUNDS = 6;
    private static final long MAX_FILE_SIZE = 256 * 1024;

    @TempDir
    Path dir;

    private Process child;

    @AfterEach
    void killChild() throws InterruptedException {
        if (child != null && child.isAlive()) {
            child.destroyForcibly();
            child.waitFor();
        }
    }

    @Test
    void theStoreSurvivesSigkillAtRandomMoments() throws Exception {
        Random random = new Random();
        long seed = random.nextLong();
        long height = 0;
        for (int round = 0; round < ROUNDS; round++) {
            boolean fsync = round % 2 == 0;
            AtomicLong committed = new AtomicLong(-1);
            AtomicReference<String> lastHash = new AtomicReference<>();
            child = start(fsync, seed + round, committed, lastHash);
            long target = height + 1 + random.nextInt(25);
            await().atMost(Duration.ofSeconds(60)).until(() -> committed.get() >= target || !child.isAlive());
            assertThat(child.isAlive()).as("writer still running in round %d", round).isTrue();
            if (round == 0) {
                assertThatThrownBy(() -> FileBlockStore.open(dir, "crash", LedgerConfig.defaults()))
                        .isInstanceOf(LedgerException.class).hasMessageContaining("is open in another process");
            }
            child.destroyForcibly();
            child.waitFor();
            long acknowledged = committed.get();
            String context = "seed " + seed + ", round " + round + ", fsync " + fsync;
            height = verifyStore(acknowledged, lastHash.get(), fsync, context);
        }
    }

    private long verifyStore(long acknowledged, String acknowledgedHash, boolean fsync, String context)
            throws Exception {
        try (FileBlockStore store = FileBlockStore.open(dir, "crash", new LedgerConfig(MAX_FILE_SIZE, fsync))) {
            long height = store.height();
            assertThat(height).as("blocks acknowledged before the kill (%s)", context).isGreaterThanOrEqualTo(acknowledged);
            byte[] previous = new byte[0];
            for (long n = 0; n < height; n++) {
                Block block = store.block(n);
                assertThat(block.getHeader().getNumber()).isEqualTo(n);
                if (n > 0) {
                    assertThat(Arrays.equals(block.getHeader().getPreviousHash().toByteArray(), previous))
                            .as("hash link of block %d (%s)", n, context).isTrue();
                }
                byte[] hash = BlockHashing.headerHash(block.getHeader());
                if (n == acknowledged - 1) {
                    assertThat(java.util.HexFormat.of().formatHex(hash)).isEqualTo(acknowledgedHash);
                }
                if (n == height - 2) {
                    assertThat(store.info().previousBlockHash()).isEqualTo(hash);
                }
                previous = hash;
            }
            assertThat(store.info().currentBlockHash()).isEqualTo(previous);
            assertThat(store.info().height()).isEqualTo(height);
            return height;
        }
    }

    private Process start(boolean fsync, long seed, AtomicLong committed, AtomicReference<String> lastHash)
            throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), CrashWriterMain.class.getName(), dir.toString(),
                Boolean.toString(fsync), Long.toString(seed), Long.toString(MAX_FILE_SIZE)));
        builder.redirectError(dir.resolve("child-stderr.txt").toFile());
        Process process = builder.start();
        Thread reader = new Thread(() -> readCommits(process, committed, lastHash), "crash-child-stdout");
        reader.setDaemon(true);
        reader.start();
        return process;
    }

    private static void readCommits(Process process, AtomicLong committed, AtomicReference<String> lastHash) {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith(CrashWriterMain.PREFIX)) {
                    String[] parts = line.substring(CrashWriterMain.PREFIX.length()).split(" ");
                    lastHash.set(parts[1]);
                    committed.set(Long.parseLong(parts[0]));
                }
            }
        } catch (IOException e) {
            // the child was killed: its pipe ends
        }
    }
}
