package io.fabsim.ledger.file;

import io.fabsim.ledger.LedgerConfig;
import io.fabsim.ledger.testing.TestBlocks;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Random;
import org.hyperledger.fabric.protos.common.Block;

/**
 * The child process of {@link KillNineCrashTest}: opens the store in {@code args[0]} and appends
 * blocks until it is killed, printing {@code committed <height> <current hash>} after each append
 * returns. It ends by itself when its standard input closes (the test JVM died) or after 100,000 blocks.
 */
public final class CrashWriterMain {

    static final String PREFIX = "committed ";

    private CrashWriterMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        boolean fsync = Boolean.parseBoolean(args[1]);
        Random random = new Random(Long.parseLong(args[2]));
        long maxFileSize = Long.parseLong(args[3]);
        Thread watchdog = new Thread(CrashWriterMain::exitWhenStdinCloses, "stdin-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try (FileBlockStore store = FileBlockStore.open(dir, "crash", new LedgerConfig(maxFileSize, fsync))) {
            if (store.height() == 0) {
                store.append(TestBlocks.genesis("crash"));
            }
            Block last = store.block(store.height() - 1);
            for (int i = 0; i < 100_000; i++) {
                Block next = TestBlocks.next(last, "crash", 1 + random.nextInt(4), 1 + random.nextInt(40_000), random);
                store.append(next);
                last = next;
                System.out.println(PREFIX + store.height() + " " + store.info().currentBlockHashHex());
                System.out.flush();
            }
        }
    }

    private static void exitWhenStdinCloses() {
        try {
            InputStream in = System.in;
            while (in.read() >= 0) {
                continue;
            }
        } catch (IOException e) {
            // fall through: the parent is gone either way
        }
        Runtime.getRuntime().halt(3);
    }
}
