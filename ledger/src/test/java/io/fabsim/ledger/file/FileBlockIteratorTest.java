package io.fabsim.ledger.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabsim.common.protoutil.BlockHashing;
import io.fabsim.ledger.BlockIterator;
import io.fabsim.ledger.LedgerConfig;
import io.fabsim.ledger.LedgerException;
import io.fabsim.ledger.testing.TestBlocks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileBlockIteratorTest {

    @TempDir
    Path dir;

    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Block> chain = TestBlocks.chain("ch1", 40, 2, 100, 7);
    private FileBlockStore store;

    @BeforeEach
    void openStore() throws Exception {
        store = FileBlockStore.open(dir, "ch1", LedgerConfig.defaults().withFsync(false).withMaxBlockfileSize(4096));
        for (int n = 0; n < 3; n++) {
            store.append(chain.get(n));
        }
    }

    @AfterEach
    void stop() throws InterruptedException {
        store.close();
        executor.shutdownNow();
        assertThat(executor.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void readsCommittedBlocksThenWaitsForTheNextCommit() throws Exception {
        try (BlockIterator iterator = store.iterator(1)) {
            assertThat(iterator.next()).isEqualTo(chain.get(1));
            assertThat(iterator.next()).isEqualTo(chain.get(2));
            assertThat(iterator.position()).isEqualTo(3);
            Future<Block> waiting = executor.submit(iterator::next);
            // no timer here: next() blocks on the store's commit condition, so real time stands in for "nothing yet"
            await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(10)).until(() -> !waiting.isDone());
            store.append(chain.get(3));
            assertThat(waiting.get(30, TimeUnit.SECONDS)).isEqualTo(chain.get(3));
            assertThat(iterator.position()).isEqualTo(4);
        }
    }

    @Test
    void startingAtTheHeightWaitsAndBeyondItIsRefused() throws Exception {
        assertThatThrownBy(() -> store.iterator(4)).isInstanceOf(LedgerException.class)
                .hasMessage("channel ch1: cannot iterate from block 4: height is 3");
        assertThatThrownBy(() -> store.iterator(-1)).isInstanceOf(LedgerException.class);
        try (BlockIterator iterator = store.iterator(3)) {
            Future<Block> waiting = executor.submit(iterator::next);
            store.append(chain.get(3));
            assertThat(waiting.get(30, TimeUnit.SECONDS)).isEqualTo(chain.get(3));
        }
    }

    @Test
    void closingTheIteratorWakesItsWaiter() throws Exception {
        BlockIterator iterator = store.iterator(3);
        Future<Block> waiting = executor.submit(iterator::next);
        // no timer here: next() blocks untimed until a commit or a close, so the wait stays on real time
        await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(10)).until(() -> !waiting.isDone());
        iterator.close();
        assertThatThrownBy(() -> waiting.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(LedgerException.class).hasMessage("channel ch1: iterator at block 3 is closed");
        assertThatThrownBy(iterator::next).isInstanceOf(LedgerException.class);
    }

    @Test
    void closingTheStoreWakesEveryWaiter() throws Exception {
        List<Future<Block>> waiting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            BlockIterator iterator = store.iterator(3);
            waiting.add(executor.submit(iterator::next));
        }
        // no timer here: the iterators block untimed until the store closes, so the wait stays on real time
        await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(10))
                .until(() -> waiting.stream().noneMatch(Future::isDone));
        store.close();
        for (Future<Block> future : waiting) {
            assertThatThrownBy(() -> future.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(LedgerException.class).hasMessageContaining("is closed");
        }
    }

    @Test
    void interruptingAWaiterEndsItsWaitWithInterruptedException() throws Exception {
        BlockIterator iterator = store.iterator(3);
        java.util.concurrent.atomic.AtomicReference<Throwable> outcome = new java.util.concurrent.atomic.AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                iterator.next();
            } catch (Exception e) {
                outcome.set(e);
            }
        });
        waiter.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> waiter.getState() == Thread.State.WAITING);
        waiter.interrupt();
        waiter.join(30_000);
        assertThat(waiter.isAlive()).isFalse();
        assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
        iterator.close();
    }

    @Test
    void readersFollowingAWriterSeeOnlyWholeLinkedBlocks() throws Exception {
        List<Future<Long>> readers = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            readers.add(executor.submit(() -> {
                try (BlockIterator iterator = store.iterator(0)) {
                    byte[] previousHash = null;
                    for (int n = 0; n < chain.size(); n++) {
                        Block block = iterator.next();
                        assertThat(block.getHeader().getNumber()).isEqualTo(n);
                        if (previousHash != null) {
                            assertThat(Arrays.equals(block.getHeader().getPreviousHash().toByteArray(), previousHash))
                                    .isTrue();
                        }
                        previousHash = BlockHashing.headerHash(block.getHeader());
                        store.info();
                    }
                    return iterator.position();
                }
            }));
        }
        for (int n = 3; n < chain.size(); n++) {
            store.append(chain.get(n));
        }
        for (Future<Long> reader : readers) {
            assertThat(reader.get(60, TimeUnit.SECONDS)).isEqualTo(chain.size());
        }
        assertThat(BlockFiles.list(dir, "ch1")).as("the readers followed the writer across roll-overs").hasSizeGreaterThan(3);
    }
}
