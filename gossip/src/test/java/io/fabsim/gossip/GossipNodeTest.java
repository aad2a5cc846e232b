package io.fabsim.gossip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabsim.common.config.ConfigLoader;
import io.fabsim.common.time.Clock;
import io.fabsim.common.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.hyperledger.fabric.protos.gossip.PeerTime;
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

    private Committer committer(String channel) throws Exception {
        MemoryBlockStore store = new MemoryBlockStore(channel, TestBlocks.chain(channel, 1));
        GossipMetrics.Channel metrics = GossipMetrics.unexported().channel(channel);
        PayloadBuffer buffer = new PayloadBuffer(channel, 1, 20, Duration.ofSeconds(5), metrics);
        Committer committer = new Committer(new Committer.Setup("peer0", store, buffer, TestBlocks.DATA_HASH_VERIFIER,
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
                peer.gossip { publishStateInfoInterval = 100ms
                  state { checkInterval = 50ms, lagTimeout = 50ms, responseTimeout = 10m, maxRetries = 1 } }
                """));
        RecordingPeer silent = new RecordingPeer("silent");
        PeerLinks links = new FakeLinks("peer0", List.of(silent));
        GossipNode node = new GossipNode(new GossipNode.Setup("peer0", config, links, Clock.system(),
                GossipMetrics.unexported()));
        closeables.add(0, node);
        node.start();
        for (String channel : List.of("ch1", "ch2")) {
            node.joinChannel(committer(channel));
            node.received(silent, GossipMessages.stateInfo(channel, silent.pkiId(), 10,
                    PeerTime.newBuilder().setIncNum(1).setSeqNum(1).build()));
        }
        await().atMost(WAIT).until(() -> silent.count(GossipMessage.ContentCase.STATE_REQUEST) == 2);
        int published = silent.count(GossipMessage.ContentCase.STATE_INFO);
        await().atMost(WAIT).until(() -> silent.count(GossipMessage.ContentCase.STATE_INFO) >= published + 2 * 4);
        assertThat(silent.count(GossipMessage.ContentCase.STATE_REQUEST)).as("one round per channel at a time").isEqualTo(2);
    }
}
