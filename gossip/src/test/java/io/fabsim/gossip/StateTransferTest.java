package io.fabsim.gossip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabsim.common.config.ConfigLoader;
import io.fabsim.common.time.Clock;
import io.fabsim.common.time.ManualClock;
import io.fabsim.ledger.testing.InMemoryBlockStore;
import io.fabsim.ledger.testing.TestBlocks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.hyperledger.fabric.protos.gossip.PeerTime;
import org.hyperledger.fabric.protos.gossip.RemoteStateRequest;
import org.hyperledger.fabric.protos.gossip.RemoteStateResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Anti-entropy against fake peers behind the {@link PeerLinks} interface: who is asked, and what happens when one is silent. */
class StateTransferTest {

    private static final String CH = "ch1";
    private static final int BLOCKS = 41;

    private final List<Block> chain = TestBlocks.chain(CH, BLOCKS);
    private final GossipMetrics.Channel metrics = GossipMetrics.unexported().channel(CH);
    private final List<FakePeer> peers = new ArrayList<>();
    private Committer committer;
    private StateTransfer stateTransfer;
    private int maxMessageBytes = 100 * 1024 * 1024;
    private Clock clock = Clock.system();

    /**
     * An org peer holding the whole chain: answers every request from it with at most
     * {@code perResponse} blocks, or (silent) never answers.
     */
    private final class FakePeer extends RecordingPeer {
        final boolean silent;
        final int perResponse;

        FakePeer(String name, boolean silent) {
            this(name, silent, Integer.MAX_VALUE);
        }

        FakePeer(String name, boolean silent, int perResponse) {
            super(name);
            this.silent = silent;
            this.perResponse = perResponse;
        }

        int asked() {
            return count(GossipMessage.ContentCase.STATE_REQUEST);
        }

        @Override
        void answer(GossipMessage message) {
            assertThat(message.hasStateRequest()).isTrue();
            if (!silent) {
                RemoteStateRequest request = message.getStateRequest();
                RemoteStateResponse.Builder response = RemoteStateResponse.newBuilder();
                long last = Math.min(request.getEndSeqNum(), request.getStartSeqNum() + perResponse - 1);
                for (long n = request.getStartSeqNum(); n <= last; n++) {
                    response.addPayloads(GossipMessages.payload(chain.get((int) n)));
                }
                stateTransfer.responded(this, GossipMessages.stateResponse(CH, message.getNonce(), response.build()));
            }
        }
    }

    @AfterEach
    void close() {
        if (committer != null) {
            committer.close();
        }
    }

    private ChannelGossip channel(String stateOverrides) throws Exception {
        GossipConfig config = GossipConfig.from(ConfigLoader.fromString("peer.gossip.state { " + stateOverrides + " }"));
        InMemoryBlockStore store = new InMemoryBlockStore(CH, chain.subList(0, 1));
        PayloadBuffer buffer = new PayloadBuffer(CH, 1, config.state().blockBufferSize(), Duration.ofSeconds(5), metrics, Clock.system());
        committer = new Committer(new Committer.Setup("peer9", store, buffer, TestBlockVerifiers.DATA_HASH,
                TxIdIndex.inMemory(), new ManualClock(), metrics));
        committer.start();
        stateTransfer = new StateTransfer(config.state(), new FakeLinks("peer9", peers, () -> maxMessageBytes),
                clock);
        ChannelGossip channel = new ChannelGossip(committer, metrics, ChannelGossip.newAnnouncements());
        for (FakePeer peer : peers) {
            channel.announced(peer.pkiId(), PeerTime.newBuilder().setIncNum(1).setSeqNum(1).build(), BLOCKS, null);
        }
        return channel;
    }

    @Test
    void aBatchThatTheSilentPeerDoesNotAnswerIsFetchedFromTheOtherOne() throws Exception {
        // Scenario: two peers announce height 41; one never answers; batchSize 1, so 40 batches, each asking
        // a peer picked at random first. Expected: every block lands; each batch the silent peer got first
        // (one in two, on average) timed out and went to the other peer, which served every batch once.
        peers.add(new FakePeer("silent", true));
        peers.add(new FakePeer("honest", false));
        ChannelGossip channel = channel("batchSize = 1, responseTimeout = 20ms, maxRetries = 3");
        stateTransfer.catchUp(channel);
        await().atMost(Duration.ofSeconds(30)).until(() -> committer.store().height() == BLOCKS);
        FakePeer silent = peers.get(0);
        FakePeer honest = peers.get(1);
        assertThat(honest.asked()).isEqualTo(BLOCKS - 1);
        assertThat(silent.asked()).as("the silent peer was picked first for some batches").isPositive();
        assertThat(metrics.counters().requestsSent().get()).isEqualTo(honest.asked() + silent.asked());
    }

    @Test
    void responsesShorterThanTheBatchAreFollowedByRequestsFromTheFirstMissingBlock() throws Exception {
        // Scenario: a peer answers every request with at most 3 blocks (as when blocks are too big for more
        // in one message); batchSize 10. Expected: one round fetches all 40 blocks, each request starting
        // where the previous answer stopped (14 requests), never skipping the rest of a batch.
        peers.add(new FakePeer("short", false, 3));
        ChannelGossip channel = channel("batchSize = 10, responseTimeout = 5s");
        stateTransfer.catchUp(channel);
        await().atMost(Duration.ofSeconds(30)).until(() -> committer.store().height() == BLOCKS);
        assertThat(peers.get(0).asked()).isEqualTo((BLOCKS - 1 + 2) / 3);
    }

    @Test
    void aResponseStopsBeforeTheBlockThatWouldTakeItPastTheMessageLimit() throws Exception {
        // Scenario: this peer holds the chain; the message limit leaves room for about 3 of its blocks; a peer
        // asks for blocks 1-10. Expected: the response carries blocks 1, 2 and 3 only, in order.
        int blockBytes = chain.get(1).getSerializedSize();
        maxMessageBytes = 64 * 1024 + 3 * (blockBytes + 32) + blockBytes / 2;
        ChannelGossip channel = channel("batchSize = 10");
        for (int n = 1; n < BLOCKS; n++) {
            committer.store().append(chain.get(n));
        }
        RecordingPeer asking = new RecordingPeer("asking");
        stateTransfer.serve(asking, channel, GossipMessages.stateRequest(CH, 7, 1, 10));
        assertThat(asking.received).hasSize(1);
        assertThat(asking.received.get(0).getNonce()).isEqualTo(7);
        assertThat(asking.received.get(0).getStateResponse().getPayloadsList()).extracting(p -> p.getSeqNum()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void whenNoPeerAnswersTheRoundEndsAfterMaxRetries() throws Exception {
        // Scenario: the only peer is silent; maxRetries 3. Expected: one round asks it 3 times, then gives up
        // (the next round, checkInterval later, tries again); nothing is committed.
        peers.add(new FakePeer("silent", true));
        ChannelGossip channel = channel("batchSize = 10, responseTimeout = 20ms, maxRetries = 3");
        stateTransfer.catchUp(channel);
        assertThat(peers.get(0).asked()).isEqualTo(3);
        assertThat(committer.store().height()).isEqualTo(1);
    }

    @Test
    void anUnansweredRequestIsAskedAgainEachResponseTimeoutOnTheClock() throws Exception {
        // Scenario: the only peer is silent; responseTimeout 5s on a manual clock, maxRetries 3.
        // Expected: requests leave at 0, 5000 and 10000 ms; the round gives up at 15000 ms, nothing fetched.
        ManualClock manual = new ManualClock();
        clock = manual;
        peers.add(new FakePeer("silent", true));
        ChannelGossip channel = channel("batchSize = 10, responseTimeout = 5s, maxRetries = 3");
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<?> round = executor.submit(() -> {
                stateTransfer.catchUp(channel);
                return null;
            });
            FakePeer silent = peers.get(0);
            await().atMost(Duration.ofSeconds(30)).until(() -> silent.asked() == 1);
            manual.advance(Duration.ofMillis(4999));
            assertThat(silent.asked()).isEqualTo(1);
            manual.advance(Duration.ofMillis(1));
            await().atMost(Duration.ofSeconds(30)).until(() -> silent.asked() == 2);
            manual.advance(Duration.ofMillis(5000));
            await().atMost(Duration.ofSeconds(30)).until(() -> silent.asked() == 3);
            manual.advance(Duration.ofMillis(5000));
            round.get(30, TimeUnit.SECONDS);
            assertThat(silent.asked()).isEqualTo(3);
            assertThat(committer.store().height()).isEqualTo(1);
        } finally {
            executor.shutdownNow();
        }
    }
}
