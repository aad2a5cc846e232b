package io.fabsim.gossip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.fabsim.common.config.ConfigLoader;
import io.fabsim.common.crypto.Signer;
import io.fabsim.common.testing.TestPki;
import io.fabsim.common.time.Clock;
import io.fabsim.common.time.ManualClock;
import io.fabsim.ledger.testing.InMemoryBlockStore;
import io.fabsim.ledger.testing.TestBlocks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.hyperledger.fabric.protos.gossip.PeerTime;
import org.hyperledger.fabric.protos.gossip.StateInfoPullRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A gossip node against a fake org peer behind {@link PeerLinks}. */
class GossipNodeTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private final TestPki.Org org = TestPki.org("Org1MSP");
    private final TestPki.Node self = org.node("peer0");

    private GossipNode node(GossipConfig config, RecordingPeer peer, GossipMetrics metrics) {
        GossipNode node = new GossipNode(new GossipNode.Setup("peer0", config, new FakeLinks("peer0", List.of(peer)),
                Clock.system(), metrics, new GossipNode.Self(self.signer(), TestPki.verifier(org), "", "127.0.0.1:7051")));
        closeables.add(0, node);
        node.start();
        node.connected(peer);
        return node;
    }

    private static GossipMessage stateInfo(String channel, RecordingPeer peer, long height) {
        return GossipMessages.stateInfo(channel, peer.pkiId(), height, PeerTime.newBuilder().setIncNum(1)
                .setSeqNum(height).build());
    }

    @Test
    void stateInfoIsSignedAndNamesItsChannelOnlyByFabricsMac() throws Exception {
        RecordingPeer peer = new RecordingPeer("peer1", org.node("peer1").signer());
        GossipNode node = node(GossipConfig.from(ConfigLoader.fromString("")), peer, GossipMetrics.unexported());
        node.joinChannel(committer("ch1"));

        GossipMessage info = peer.received.stream().filter(GossipMessage::hasStateInfo).findFirst().orElseThrow();
        assertThat(info.getChannel()).isEmpty();
        assertThat(info.getTag()).isEqualTo(GossipMessage.Tag.CHAN_OR_ORG);
        assertThat(info.getStateInfo().getChannelMAC())
                .isEqualTo(SignedMessages.channelMac(ByteString.copyFromUtf8("peer0"), "ch1"));
        assertThat(info.getStateInfo().getProperties().getLedgerHeight()).isEqualTo(1);
    }

    @Test
    void aStateInfoWithABadSignatureForAnUnknownMacOrWithAWrongTagIsDroppedAndCountedAndTheNextGoodOneCounts()
            throws Exception {
        RecordingPeer peer = new RecordingPeer("peer1", org.node("peer1").signer());
        GossipMetrics metrics = GossipMetrics.unexported();
        GossipNode node = node(GossipConfig.from(ConfigLoader.fromString("")), peer, metrics);
        node.joinChannel(committer("ch1"));

        GossipMessage info = stateInfo("ch1", peer, 7);
        node.received(peer, SignedMessages.sign(info, org.node("mallory").signer()), info);
        assertThat(metrics.droppedCount("bad_signature")).isEqualTo(1);
        GossipMessage wrongTag = info.toBuilder().setTag(GossipMessage.Tag.CHAN_AND_ORG).build();
        node.received(peer, SignedMessages.sign(wrongTag, peer.signer()), wrongTag);
        assertThat(metrics.droppedCount("bad_tag")).isEqualTo(1);
        GossipMessage pull = GossipMessage.newBuilder().setTag(GossipMessage.Tag.CHAN_OR_ORG)
                .setStateInfoPullReq(StateInfoPullRequest.newBuilder()
                        .setChannelMAC(SignedMessages.channelMac(peer.pkiId(), "unknown"))).build();
        node.received(peer, GossipMessages.unsigned(pull), pull);
        assertThat(metrics.droppedCount("unknown_channel_mac")).isEqualTo(1);
        assertThat(node.highestPeerHeight("ch1")).isZero();

        node.received(peer, SignedMessages.sign(info, peer.signer()), info);
        assertThat(node.highestPeerHeight("ch1")).isEqualTo(7);
        pull = pull.toBuilder().setStateInfoPullReq(StateInfoPullRequest.newBuilder()
                .setChannelMAC(SignedMessages.channelMac(peer.pkiId(), "ch1"))).build();
        node.received(peer, GossipMessages.unsigned(pull), pull);
        GossipMessage snapshot = peer.received.stream().filter(GossipMessage::hasStateSnapshot).findFirst().orElseThrow();
        assertThat(snapshot.getStateSnapshot().getElementsCount()).as("the peer's own and this peer's").isEqualTo(2);
    }

    private Committer committer(String channel) throws Exception {
        InMemoryBlockStore store = new InMemoryBlockStore(channel, TestBlocks.chain(channel, 1));
        GossipMetrics.Channel metrics = GossipMetrics.unexported().channel(channel);
        PayloadBuffer buffer = new PayloadBuffer(channel, 1, 20, Duration.ofSeconds(5), metrics, Clock.system());
        Committer committer = new Committer(new Committer.Setup("peer0", store, buffer, TestBlockVerifiers.DATA_HASH,
                TxIdIndex.inMemory(), new ManualClock(), metrics));
        committer.start();
        closeables.add(committer);
        return committer;
    }

    @Test
    void stateInfoKeepsFlowingWhileStateTransferWaitsOnASilentPeerOnEveryChannel() throws Exception {
        // Scenario: on two channels a peer announces height 10 and never answers a RemoteStateRequest (response
        // timeout 10 minutes), so a state transfer round blocks on each channel.
        // Expected: this peer keeps publishing its StateInfo every 100 ms (the rounds do not hold the threads
        // that publish; they once did, on a peer with as many channels catching up as scheduler threads).
        GossipConfig config = GossipConfig.from(ConfigLoader.fromString("""
                peer.gossip { publishStateInfoInterval = 100ms, fabsim.lagTimeout = 50ms
                  state { checkInterval = 50ms, responseTimeout = 10m, maxRetries = 1 } }
                """));
        RecordingPeer silent = new RecordingPeer("silent", org.node("silent").signer());
        GossipNode node = node(config, silent, GossipMetrics.unexported());
        for (String channel : List.of("ch1", "ch2")) {
            node.joinChannel(committer(channel));
            GossipMessage info = stateInfo(channel, silent, 10);
            node.received(silent, SignedMessages.sign(info, silent.signer()), info);
        }
        await().atMost(WAIT).until(() -> silent.count(GossipMessage.ContentCase.STATE_REQUEST) == 2);
        int published = silent.count(GossipMessage.ContentCase.STATE_INFO);
        await().atMost(WAIT).until(() -> silent.count(GossipMessage.ContentCase.STATE_INFO) >= published + 2 * 4);
        assertThat(silent.count(GossipMessage.ContentCase.STATE_REQUEST)).as("one round per channel at a time").isEqualTo(2);
    }

    /** A silent org peer that notes the time of the given clock at which each message of a kind reached it. */
    private static final class TimedPeer extends RecordingPeer {
        private final ManualClock clock;
        final List<String> log = new CopyOnWriteArrayList<>();

        TimedPeer(String name, ManualClock clock) {
            this(name, clock, null);
        }

        TimedPeer(String name, ManualClock clock, Signer signer) {
            super(name, signer);
            this.clock = clock;
        }

        @Override
        void answer(GossipMessage message) {
            log.add(message.getContentCase() + "@" + clock.nanoTime() / 1_000_000);
        }

        List<String> of(GossipMessage.ContentCase kind) {
            return log.stream().filter(line -> line.startsWith(kind + "@")).toList();
        }
    }

    private GossipNode node(String gossipConfig, ManualClock clock, TimedPeer peer) {
        GossipNode node = new GossipNode(new GossipNode.Setup("peer0", GossipConfig.from(ConfigLoader.fromString(
                gossipConfig)), new FakeLinks("peer0", List.of(peer)), clock, GossipMetrics.unexported(),
                new GossipNode.Self(self.signer(), TestPki.verifier(org), "", "127.0.0.1:7051")));
        closeables.add(0, node);
        return node;
    }

    @Test
    void stateInfoIsPublishedOnJoinThenEveryPublishStateInfoInterval() throws Exception {
        // Scenario: publishStateInfoInterval 4s on a manual clock; the node starts and joins a channel at 0.
        // Expected: StateInfo at 0 (join), then at 4000, 8000 and 12000 ms; none in between.
        ManualClock clock = new ManualClock();
        TimedPeer peer = new TimedPeer("peer1", clock);
        GossipNode node = node("peer.gossip { publishStateInfoInterval = 4s, state.enabled = false }", clock, peer);
        node.start();
        node.joinChannel(committer("ch1"));
        clock.advance(Duration.ofMillis(3999));
        assertThat(peer.of(GossipMessage.ContentCase.STATE_INFO)).containsExactly("STATE_INFO@0");
        clock.advance(Duration.ofMillis(8001));
        assertThat(peer.of(GossipMessage.ContentCase.STATE_INFO))
                .containsExactly("STATE_INFO@0", "STATE_INFO@4000", "STATE_INFO@8000", "STATE_INFO@12000");
    }

    @Test
    void stateInfoAfterCommitsGoesOutAtMostOncePerCommitStateInfoIntervalWithTheLatestHeight() throws Exception {
        // Scenario: commitStateInfoInterval 200ms, publishStateInfoInterval 1m, manual clock. Block 1 commits at
        // 0, blocks 2 and 3 at 50 ms, block 4 at 1000 ms.
        // Expected: StateInfo at 0 (join, height 1), at 0 (height 2: the first commit goes out at once), at 200
        // (height 4: one message for the two commits in between), at 1000 (height 5); none else.
        ManualClock clock = new ManualClock();
        TimedPeer peer = new TimedPeer("peer1", clock);
        GossipNode node = node("peer.gossip { publishStateInfoInterval = 1m, fabsim.commitStateInfoInterval = 200ms"
                + ", state.enabled = false }", clock, peer);
        node.start();
        List<Block> chain = TestBlocks.chain("ch1", 5);
        Committer committer = committer("ch1");
        node.joinChannel(committer);
        committer.buffer().add(chain.get(1), Source.GOSSIP);
        await().atMost(WAIT).until(() -> peer.of(GossipMessage.ContentCase.STATE_INFO).size() == 2);
        clock.advance(Duration.ofMillis(50));
        committer.buffer().add(chain.get(2), Source.GOSSIP);
        committer.buffer().add(chain.get(3), Source.GOSSIP);
        await().atMost(WAIT).until(() -> committer.store().height() == 4);
        clock.advance(Duration.ofMillis(149));
        assertThat(peer.of(GossipMessage.ContentCase.STATE_INFO)).containsExactly("STATE_INFO@0", "STATE_INFO@0");
        clock.advance(Duration.ofMillis(1));
        await().atMost(WAIT).until(() -> peer.of(GossipMessage.ContentCase.STATE_INFO).size() == 3);
        clock.advance(Duration.ofMillis(800));
        committer.buffer().add(chain.get(4), Source.GOSSIP);
        await().atMost(WAIT).until(() -> peer.of(GossipMessage.ContentCase.STATE_INFO).size() == 4);
        assertThat(peer.of(GossipMessage.ContentCase.STATE_INFO))
                .containsExactly("STATE_INFO@0", "STATE_INFO@0", "STATE_INFO@200", "STATE_INFO@1000");
        assertThat(peer.received.stream().filter(GossipMessage::hasStateInfo)
                .map(m -> m.getStateInfo().getProperties().getLedgerHeight()).toList()).containsExactly(1L, 2L, 4L, 5L);
    }

    /**
     * A node on {@code clock} with the given state timers that joined ch1 at height 1, while its one
     * peer, silent, announced height 10; returns that peer.
     */
    private TimedPeer behindASilentPeer(ManualClock clock, String checkInterval, String lagTimeout) throws Exception {
        TimedPeer peer = new TimedPeer("peer1", clock, org.node("peer1").signer());
        GossipNode node = node("""
                peer.gossip { publishStateInfoInterval = 1m
                  fabsim.lagTimeout = %s
                  state { checkInterval = %s, responseTimeout = 10m, maxRetries = 1 } }
                """.formatted(lagTimeout, checkInterval), clock, peer);
        node.start();
        node.joinChannel(committer("ch1"));
        GossipMessage info = GossipMessages.stateInfo("ch1", peer.pkiId(), 10,
                PeerTime.newBuilder().setIncNum(1).setSeqNum(1).build());
        node.received(peer, SignedMessages.sign(info, peer.signer()), info);
        return peer;
    }

    @Test
    void aChannelStillBehindAtTwoLagChecksInARowFetchesAtTheSecond() throws Exception {
        // Scenario: lagTimeout 2s, checkInterval 1h (so only the lag check can start a round); a silent peer
        // announces height 10 while this peer is at 1. Expected: the check at 2000 ms notes the lag, the one
        // at 4000 ms (still at height 1) starts a round: the first RemoteStateRequest leaves at 4000 ms.
        ManualClock clock = new ManualClock();
        TimedPeer peer = behindASilentPeer(clock, "1h", "2s");
        clock.advance(Duration.ofMillis(2000));
        clock.advance(Duration.ofMillis(1999));
        clock.advance(Duration.ofMillis(1));
        await().atMost(WAIT).until(() -> peer.count(GossipMessage.ContentCase.STATE_REQUEST) == 1);
        assertThat(peer.of(GossipMessage.ContentCase.STATE_REQUEST)).containsExactly("STATE_REQUEST@4000");
    }

    @Test
    void antiEntropyAsksAtCheckIntervalOnTheClock() throws Exception {
        // Scenario: checkInterval 3s, lagTimeout 1h: a silent peer announces height 10 while this peer is at 1.
        // Expected: the first round starts at 3000 ms: its RemoteStateRequest leaves then, not before.
        ManualClock clock = new ManualClock();
        TimedPeer peer = behindASilentPeer(clock, "3s", "1h");
        clock.advance(Duration.ofMillis(2999));
        clock.advance(Duration.ofMillis(1));
        await().atMost(WAIT).until(() -> peer.count(GossipMessage.ContentCase.STATE_REQUEST) == 1);
        assertThat(peer.of(GossipMessage.ContentCase.STATE_REQUEST)).containsExactly("STATE_REQUEST@3000");
    }
}
