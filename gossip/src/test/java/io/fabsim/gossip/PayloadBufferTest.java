package io.fabsim.gossip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabsim.common.time.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PayloadBufferTest {

    private static final String CH = "ch1";
    private final List<Block> chain = TestBlocks.chain(CH, 40);
    private final GossipMetrics.Channel metrics = GossipMetrics.unexported().channel(CH);
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final ManualClock clock = new ManualClock();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private PayloadBuffer buffer(long height, int capacity, Duration ordererWait) {
        return new PayloadBuffer(CH, height, capacity, ordererWait, metrics, clock);
    }

    /** Starts an orderer add of {@code block} on another thread; returns once that thread waits for room. */
    private Future<AddResult> waitingAdd(PayloadBuffer buffer, Block block) throws Exception {
        CompletableFuture<Thread> adder = new CompletableFuture<>();
        Future<AddResult> waiting = executor.submit(() -> {
            adder.complete(Thread.currentThread());
            return buffer.add(block, Source.ORDERER);
        });
        Thread thread = adder.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> thread.getState() == Thread.State.TIMED_WAITING);
        return waiting;
    }

    @Test
    void releasesBlocksInNumberOrderWhateverTheArrivalOrder() throws Exception {
        PayloadBuffer buffer = buffer(1, 10, Duration.ofSeconds(1));
        assertThat(buffer.add(chain.get(3), Source.GOSSIP)).isEqualTo(AddResult.ACCEPTED);
        assertThat(buffer.add(chain.get(2), Source.STATE_TRANSFER)).isEqualTo(AddResult.ACCEPTED);
        assertThat(buffer.awaitNext(Duration.ZERO)).as("block 1 missing: nothing is released").isNull();
        assertThat(buffer.add(chain.get(1), Source.ORDERER)).isEqualTo(AddResult.ACCEPTED);
        for (int n = 1; n <= 3; n++) {
            Block next = buffer.awaitNext(Duration.ofSeconds(1));
            assertThat(next.getHeader().getNumber()).isEqualTo(n);
            buffer.advanceTo(n + 1);
        }
        assertThat(buffer.size()).isZero();
        assertThat(metrics.bufferSize().get()).isZero();
    }

    @Test
    void dropsDuplicatesAndBlocksBelowTheHeight() throws Exception {
        PayloadBuffer buffer = buffer(5, 10, Duration.ofSeconds(1));
        assertThat(buffer.add(chain.get(6), Source.GOSSIP)).isEqualTo(AddResult.ACCEPTED);
        assertThat(buffer.add(chain.get(6), Source.GOSSIP)).isEqualTo(AddResult.DUPLICATE);
        assertThat(buffer.add(chain.get(6), Source.ORDERER)).isEqualTo(AddResult.DUPLICATE);
        assertThat(buffer.add(chain.get(4), Source.GOSSIP)).isEqualTo(AddResult.BELOW_HEIGHT);
        assertThat(buffer.add(chain.get(0), Source.ORDERER)).isEqualTo(AddResult.BELOW_HEIGHT);
        assertThat(buffer.size()).isEqualTo(1);
        assertThat(metrics.bufferSize().get()).isEqualTo(1);
        assertThat(buffer.has(3)).isTrue();
        assertThat(buffer.has(6)).isTrue();
        assertThat(buffer.has(5)).isFalse();
    }

    @Test
    void dropsFarAheadBlocksFromPeers() throws Exception {
        PayloadBuffer buffer = buffer(1, 10, Duration.ofSeconds(1));
        assertThat(buffer.add(chain.get(10), Source.GOSSIP)).isEqualTo(AddResult.ACCEPTED);
        assertThat(buffer.add(chain.get(11), Source.GOSSIP)).isEqualTo(AddResult.TOO_FAR_AHEAD);
        assertThat(buffer.add(chain.get(30), Source.STATE_TRANSFER)).isEqualTo(AddResult.TOO_FAR_AHEAD);
    }

    @Test
    void farAheadBlockFromTheOrdererWaitsForTheCommitter() throws Exception {
        PayloadBuffer buffer = buffer(1, 2, Duration.ofMinutes(1));
        Future<AddResult> waiting = waitingAdd(buffer, chain.get(3));
        clock.advance(Duration.ofSeconds(59));
        buffer.advanceTo(2);
        assertThat(waiting.get(30, TimeUnit.SECONDS)).as("room made 1 s before ordererWait ends").isEqualTo(AddResult.ACCEPTED);
        assertThat(buffer.has(3)).isTrue();
    }

    @Test
    void ordererWaitEndsWhenTheClockReachesIt() throws Exception {
        PayloadBuffer buffer = buffer(1, 2, Duration.ofHours(1));
        Future<AddResult> waiting = waitingAdd(buffer, chain.get(5));
        clock.advance(Duration.ofMinutes(59));
        assertThat(waiting.isDone()).isFalse();
        clock.advance(Duration.ofMinutes(1));
        // an hour of the buffer's clock, not of real time: the wait ends at once
        assertThat(waiting.get(30, TimeUnit.SECONDS)).isEqualTo(AddResult.TIMED_OUT);
        assertThat(buffer.size()).isZero();
    }

    @Test
    void ordererWaitIsBoundedAndInterruptible() throws Exception {
        PayloadBuffer bounded = buffer(1, 2, Duration.ZERO);
        assertThat(bounded.add(chain.get(5), Source.ORDERER)).isEqualTo(AddResult.TIMED_OUT);
        assertThat(bounded.size()).isZero();

        PayloadBuffer buffer = buffer(1, 2, Duration.ofMinutes(5));
        CompletableFuture<Thread> adder = new CompletableFuture<>();
        Future<AddResult> waiting = executor.submit(() -> {
            adder.complete(Thread.currentThread());
            return buffer.add(chain.get(5), Source.ORDERER);
        });
        Thread thread = adder.get();
        await().atMost(Duration.ofSeconds(5)).until(() -> thread.getState() == Thread.State.TIMED_WAITING);
        thread.interrupt();
        assertThatThrownBy(waiting::get).hasCauseInstanceOf(InterruptedException.class);
    }

    @Test
    void closeWakesAWaitingOrdererBlock() throws Exception {
        PayloadBuffer buffer = buffer(1, 2, Duration.ofMinutes(5));
        Future<AddResult> waiting = waitingAdd(buffer, chain.get(5));
        buffer.close();
        assertThat(waiting.get(30, TimeUnit.SECONDS)).isEqualTo(AddResult.CLOSED);
        assertThat(buffer.add(chain.get(1), Source.GOSSIP)).isEqualTo(AddResult.CLOSED);
    }

    @Test
    void floodOfDuplicateAndFarFutureBlocksKeepsTheBufferBounded() throws Exception {
        PayloadBuffer buffer = buffer(1, 20, Duration.ofSeconds(1));
        Random random = new Random(7);
        Block template = chain.get(1);
        for (int i = 0; i < 20_000; i++) {
            long number = random.nextInt(1_000_000);
            Block block = template.toBuilder().setHeader(template.getHeader().toBuilder().setNumber(number)).build();
            buffer.add(block, i % 2 == 0 ? Source.GOSSIP : Source.STATE_TRANSFER);
            assertThat(buffer.size()).isLessThanOrEqualTo(20);
        }
        for (int i = 0; i < 1000; i++) {
            buffer.add(chain.get(2), Source.GOSSIP);
        }
        assertThat(buffer.size()).isLessThanOrEqualTo(20);
        assertThat(metrics.bufferSize().get()).isLessThanOrEqualTo(20);
    }

    @Test
    void copyOfTheBlockBeingCommittedIsADuplicateUntilTheCommitterRefusesIt() throws Exception {
        PayloadBuffer buffer = buffer(1, 10, Duration.ofSeconds(1));
        buffer.add(chain.get(1), Source.GOSSIP);
        assertThat(buffer.awaitNext(Duration.ofSeconds(1))).isNotNull();
        assertThat(buffer.has(1)).isTrue();
        assertThat(buffer.add(chain.get(1), Source.GOSSIP)).isEqualTo(AddResult.DUPLICATE);
        // the committer refused it: a fresh copy is welcome
        buffer.release(1);
        assertThat(buffer.has(1)).isFalse();
        assertThat(buffer.add(chain.get(1), Source.GOSSIP)).isEqualTo(AddResult.ACCEPTED);
        assertThat(buffer.awaitNext(Duration.ofSeconds(1))).isNotNull();
        buffer.advanceTo(2);
        assertThat(buffer.add(chain.get(1), Source.GOSSIP)).isEqualTo(AddResult.BELOW_HEIGHT);
    }

    @Test
    void aBlockTheCommitterRefusedIsTheGapBelowLaterBlocks() throws Exception {
        PayloadBuffer buffer = buffer(1, 10, Duration.ofSeconds(1));
        for (int n = 1; n <= 3; n++) {
            buffer.add(chain.get(n), Source.ORDERER);
        }
        assertThat(buffer.missingBelow(4)).isEmpty();
        assertThat(buffer.awaitNext(Duration.ofSeconds(1))).isNotNull();
        assertThat(buffer.missingBelow(4)).as("block 1 is being committed").isEmpty();
        buffer.release(1);
        assertThat(buffer.missingBelow(4)).hasValue(1);
        assertThat(buffer.missingBelow(1)).as("nothing below the height counts").isEmpty();
        buffer.add(chain.get(1), Source.ORDERER);
        assertThat(buffer.missingBelow(4)).isEmpty();
        assertThat(buffer.missingBelow(6)).as("block 4 never came").hasValue(4);
    }
}
