package io.fabsim.gossip.grpc;

import static io.fabsim.gossip.grpc.GossipTestNet.CH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.protobuf.ByteString;
import io.fabsim.common.protoutil.BlockHashing;
import io.fabsim.gossip.GossipMessages;
import io.fabsim.gossip.RemotePeer;
import io.fabsim.gossip.TestBlocks;
import io.fabsim.gossip.TestOrderer;
import io.fabsim.gossip.TestPki;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.gossip.DataMessage;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.hyperledger.fabric.protos.gossip.Payload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** In-JVM orgs of gossip peers over real gRPC with mutual TLS on 127.0.0.1. */
class GossipClusterTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final TestOrderer orderer = new TestOrderer();
    private final List<Block> chain = orderer.chain(CH, 41);
    private final TestPki.Org org1 = TestPki.org("Org1MSP");
    private GossipTestNet net;

    @AfterEach
    void stop() {
        if (net != null) {
            net.close();
        }
    }

    private List<GossipTestNet.Peer> startOrg(int n, List<Block> ledger) throws Exception {
        List<GossipTestNet.Peer> peers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            peers.add(net.start(org1.node("peer" + i + ".org1.example.com"), ledger, true));
        }
        await().atMost(WAIT).until(() -> peers.stream().allMatch(p -> p.gossip.channelPeerCount(CH) == n - 1));
        return peers;
    }

    private void deliver(GossipTestNet.Peer leader, int from, int to) throws InterruptedException {
        for (int n = from; n <= to; n++) {
            assertThat(leader.gossip.addFromOrderer(CH, chain.get(n)).accepted()).isTrue();
            leader.gossip.gossip(CH, chain.get(n));
        }
    }

    private void awaitAllAt(List<GossipTestNet.Peer> peers, int height) {
        await().atMost(WAIT).alias(net.describe()).until(() -> peers.stream().allMatch(p -> p.height() == height));
        byte[] expected = BlockHashing.headerHash(chain.get(height - 1).getHeader());
        for (GossipTestNet.Peer p : peers) {
            assertThat(p.store.info().currentBlockHash()).as(p.name).isEqualTo(expected);
        }
    }

    @Test
    void sixPeersFedByOneLeaderReachTheSameHeightAndHashWithBoundedCopies() throws Exception {
        // Scenario: 6 peers of Org1; only peer0 gets blocks (from the "orderer"); 30 blocks.
        // Expected: every peer commits all 30 with the same current hash; copies per block ~ 6 x 3, not 6^2 x ...
        net = new GossipTestNet("", orderer.verifier(CH));
        List<GossipTestNet.Peer> peers = startOrg(6, chain.subList(0, 1));
        deliver(peers.get(0), 1, 30);
        awaitAllAt(peers, 31);
        double pushed = peers.stream().mapToDouble(p -> p.channelMetrics.counters().pushed().get()).sum();
        double received = peers.stream().mapToDouble(p -> p.channelMetrics.counters().received().get()).sum();
        assertThat(pushed).isLessThanOrEqualTo(6 * 3 * 30);
        assertThat(received).isLessThanOrEqualTo(pushed).isGreaterThan(0);
        assertThat(peers.stream().mapToDouble(p -> p.channelMetrics.counters().rejected().get()).sum()).isZero();
    }

    @Test
    void tamperedBlockIsRejectedAndNotForwardedAndTheHonestCopyStillArrives() throws Exception {
        // Scenario: peer3 pushes block 6 with a changed transaction, then with an altered orderer signature.
        // Expected: each receiver refuses each copy (counts 2 rejections, none forwarded so none counts more);
        // the honest block 6 from the leader is committed everywhere.
        net = new GossipTestNet("", orderer.verifier(CH));
        List<GossipTestNet.Peer> peers = startOrg(4, chain.subList(0, 1));
        deliver(peers.get(0), 1, 5);
        awaitAllAt(peers, 6);

        GossipTestNet.Peer evil = peers.get(3);
        Block honest = chain.get(6);
        Block badData = TestBlocks.tampered(honest);
        byte[] sig = honest.getMetadata().getMetadata(0).toByteArray();
        sig[sig.length - 3] ^= 1;
        Block badSignature = honest.toBuilder()
                .setMetadata(honest.getMetadata().toBuilder().setMetadata(0, ByteString.copyFrom(sig))).build();
        for (RemotePeer target : evil.transport.peers()) {
            assertThat(target.send(blockMessage(badData))).isTrue();
            assertThat(target.send(blockMessage(badSignature))).isTrue();
        }
        List<GossipTestNet.Peer> honestPeers = peers.subList(0, 3);
        await().atMost(WAIT).until(() -> honestPeers.stream()
                .allMatch(p -> p.channelMetrics.counters().rejected().get() == 2));
        assertThat(peers).allMatch(p -> p.height() == 6);

        deliver(peers.get(0), 6, 10);
        awaitAllAt(peers, 11);
        assertThat(honestPeers).allMatch(p -> p.channelMetrics.counters().rejected().get() == 2);
        assertThat(peers.get(1).store.block(6).getData()).isEqualTo(honest.getData());
    }

    @Test
    void peerOfAnotherOrgIsRefusedAndGetsNoBlocks() throws Exception {
        // Scenario: two Org1 peers and one Org2 peer share a membership list; Org1's leader gets 5 blocks.
        // Expected: TLS passes (every org's TLS CA is trusted, as on a channel) but Org1's MSP verifier
        // refuses the Org2 identity in the ConnEstablish, with a log line; the Org2 peer stays at height 1.
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger serviceLog = (Logger) LoggerFactory.getLogger(GossipStreamService.class);
        serviceLog.addAppender(logs);
        try {
            net = new GossipTestNet("", orderer.verifier(CH));
            TestPki.Org org2 = TestPki.org("Org2MSP");
            net.extraTlsRoots.add(org1.tlsCa().cert());
            net.extraTlsRoots.add(org2.tlsCa().cert());
            List<GossipTestNet.Peer> org1Peers = startOrg(2, chain.subList(0, 1));
            GossipTestNet.Peer stranger = net.start(org2.node("peer0.org2.example.com"), chain.subList(0, 1), true,
                    TestPki.verifier(org1, org2));
            await().atMost(WAIT).until(() -> logs.list.stream()
                    .anyMatch(e -> e.getFormattedMessage().contains("refused connection")
                            && e.getFormattedMessage().contains("unknown MSP Org2MSP")));
            deliver(org1Peers.get(0), 1, 5);
            awaitAllAt(org1Peers, 6);
            assertThat(stranger.height()).isEqualTo(1);
            assertThat(stranger.transport.peers()).isEmpty();
            assertThat(org1Peers).allMatch(p -> p.transport.peers().size() == 1);
        } finally {
            serviceLog.detachAppender(logs);
        }
    }

    @Test
    void floodOfDuplicateFarFutureAndGarbageBlocksKeepsMemoryBoundedAndTheVictimServing() throws Exception {
        // Scenario: an authenticated org peer sends 3,000 copies of committed, far-future and garbage blocks.
        // Expected: the victim's buffer never exceeds blockBufferSize; it still commits the next honest blocks.
        net = new GossipTestNet("", orderer.verifier(CH));
        List<GossipTestNet.Peer> peers = startOrg(2, chain.subList(0, 1));
        GossipTestNet.Peer victim = peers.get(0);
        GossipTestNet.Peer attacker = peers.get(1);
        RemotePeer link = attacker.transport.peers().iterator().next();
        int sent = 0;
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (int i = 0; i < 3000 && System.nanoTime() < deadline; ) {
            Envelope flood = switch (i % 3) {
                case 0 -> blockMessage(chain.get(0));
                case 1 -> rawBlockMessage(1000 + i, ByteString.copyFromUtf8("far future " + i));
                default -> rawBlockMessage(1 + i % 10, ByteString.copyFromUtf8("garbage " + i));
            };
            if (link.send(flood)) {
                sent++;
                i++;
            } else {
                Thread.onSpinWait();
            }
            assertThat(victim.buffer.size()).isLessThanOrEqualTo(net.config.state().blockBufferSize());
        }
        int total = sent;
        await().atMost(WAIT).until(() -> victim.channelMetrics.counters().received().get() >= total);
        assertThat(victim.buffer.size()).isLessThanOrEqualTo(net.config.state().blockBufferSize());
        assertThat(victim.channelMetrics.counters().rejected().get()).isEqualTo(1000);
        deliver(victim, 1, 5);
        awaitAllAt(peers, 6);
    }

    @Test
    void stateTransferFetchesFifteenMissingBlocksInTwoBatchesOfTen() throws Exception {
        // Scenario: peer0 holds blocks 0-20, peer1 holds 0-5; no orderer; batchSize 10.
        // Expected: peer1 asks exactly twice ([6,15] and [16,20]) and ends with peer0's chain.
        List<GossipTestNet.Peer> pair = catchUp("peer.gossip.state.batchSize = 10", 21, 6);
        assertThat(pair.get(1).channelMetrics.counters().requestsSent().get()).isEqualTo(2);
        assertThat(pair.get(0).channelMetrics.counters().requestsServed().get()).isEqualTo(2);
    }

    @Test
    void aPeerThatLeavesGetsNoPushesAndOneThatComesBackGetsThemAgain() throws Exception {
        // Scenario: 3 peers; the leader (peer0) gets blocks 1-5; peer2 leaves (stops, out of the membership);
        // blocks 6-10; peer2 comes back with its ledger and catches up; blocks 11-15.
        // Expected: the leader pushes each block to the 2 others, then to peer1 alone while peer2 is away,
        // then to both again; peer2 receives pushes of blocks 11-15 and ends with the same chain.
        net = new GossipTestNet("", orderer.verifier(CH));
        List<GossipTestNet.Peer> peers = startOrg(3, chain.subList(0, 1));
        GossipTestNet.Peer leader = peers.get(0);
        deliver(leader, 1, 5);
        awaitAllAt(peers, 6);
        assertThat(leader.channelMetrics.counters().pushed().get()).isEqualTo(5 * 2);

        List<Block> ledger = stopKeepingLedger(peers.get(2), peers.subList(0, 2));
        deliver(leader, 6, 10);
        awaitAllAt(peers.subList(0, 2), 11);
        assertThat(leader.channelMetrics.counters().pushed().get()).isEqualTo(5 * 2 + 5);

        GossipTestNet.Peer back = net.start(org1.node("peer2.org1.example.com"), ledger, true);
        List<GossipTestNet.Peer> all = List.of(leader, peers.get(1), back);
        await().atMost(WAIT).until(() -> all.stream().allMatch(p -> p.gossip.channelPeerCount(CH) == 2));
        awaitAllAt(all, 11);
        double receivedBefore = back.channelMetrics.counters().received().get();
        deliver(leader, 11, 15);
        awaitAllAt(all, 16);
        assertThat(leader.channelMetrics.counters().pushed().get()).isEqualTo(5 * 2 + 5 + 5 * 2);
        assertThat(back.channelMetrics.counters().received().get() - receivedBefore).isGreaterThanOrEqualTo(5);
    }

    @Test
    void peerThatMissedAThousandBlocksCatchesUpFromPeersAlone() throws Exception {
        // Scenario: peer0 holds blocks 0-1000, peer1 only the genesis block; no orderer; batchSize 100, which is
        // more than blockBufferSize (20): each batch lands as the committer makes room (this once stalled).
        // Expected: peer1 reaches height 1001 with peer0's current hash, in 10 requests.
        List<Block> longChain = orderer.chain(CH, 1001);
        net = new GossipTestNet("peer.gossip.state.batchSize = 100", orderer.verifier(CH));
        GossipTestNet.Peer full = net.start(org1.node("peer0.org1.example.com"), longChain, true);
        GossipTestNet.Peer behind = net.start(org1.node("peer1.org1.example.com"), longChain.subList(0, 1), true);
        await().atMost(WAIT).alias(net.describe()).until(() -> behind.height() == 1001);
        assertThat(behind.store.info().currentBlockHash())
                .isEqualTo(BlockHashing.headerHash(longChain.get(1000).getHeader()));
        assertThat(behind.channelMetrics.counters().requestsSent().get()).isEqualTo(10);
        assertThat(full.channelMetrics.counters().requestsServed().get()).isEqualTo(10);
    }

    @Test
    void aPeerLeftBehindAnAnnouncedHeightFetchesAfterTheLagTimeoutNotTheCheckInterval() throws Exception {
        // Scenario: peer0 holds blocks 0-10, peer1 0-5, and nothing is pushed (as when every push of a block
        // missed peer1); the periodic check is an hour away, lagTimeout 200 ms.
        // Expected: peer1 sees itself behind peer0's announced height twice in a row and fetches the blocks.
        List<GossipTestNet.Peer> pair = catchUp("peer.gossip { state.checkInterval = 1h, fabsim.lagTimeout = 200ms }", 11, 6);
        assertThat(pair.get(1).channelMetrics.counters().requestsSent().get()).isEqualTo(1);
    }

    @Test
    void peerStartedLateOrRestartedCatchesUpFromPeersWithoutTheOrderer() throws Exception {
        // Scenario: 3 peers commit 12 blocks; peer2 stops; 10 more blocks; peer2 restarts from its ledger and
        // a new peer3 joins with only the genesis block. The "orderer" sends nothing more.
        // Expected: both reach height 23 with the leader's current hash, by state transfer.
        net = new GossipTestNet("", orderer.verifier(CH));
        List<GossipTestNet.Peer> peers = startOrg(3, chain.subList(0, 1));
        deliver(peers.get(0), 1, 12);
        awaitAllAt(peers, 13);
        List<Block> ledger = stopKeepingLedger(peers.get(2), peers.subList(0, 2));
        deliver(peers.get(0), 13, 22);
        awaitAllAt(peers.subList(0, 2), 23);
        GossipTestNet.Peer restarted = net.start(org1.node("peer2.org1.example.com"), ledger, true);
        GossipTestNet.Peer late = net.start(org1.node("peer3.org1.example.com"), chain.subList(0, 1), true);
        awaitAllAt(List.of(restarted, late), 23);
        await().atMost(WAIT).until(() -> net.peers.stream().allMatch(p -> p.gossip.channelPeerCount(CH) == 3));
        assertThat(late.channelMetrics.counters().requestsSent().get()).isGreaterThanOrEqualTo(3);
    }

    /**
     * Starts peer0 holding blocks [0, fullHeight) and peer1 holding [0, behindHeight), no orderer, and
     * waits until peer1 has peer0's chain; returns [peer0, peer1].
     */
    private List<GossipTestNet.Peer> catchUp(String overrides, int fullHeight, int behindHeight) throws Exception {
        net = new GossipTestNet(overrides, orderer.verifier(CH));
        GossipTestNet.Peer full = net.start(org1.node("peer0.org1.example.com"), chain.subList(0, fullHeight), true);
        GossipTestNet.Peer behind = net.start(org1.node("peer1.org1.example.com"), chain.subList(0, behindHeight), true);
        awaitAllAt(List.of(full, behind), fullHeight);
        return List.of(full, behind);
    }

    /** Stops {@code peer} (it leaves the membership; {@code others} see it gone) and returns its ledger. */
    private List<Block> stopKeepingLedger(GossipTestNet.Peer peer, List<GossipTestNet.Peer> others) throws Exception {
        List<Block> ledger = new ArrayList<>();
        for (long n = 0; n < peer.height(); n++) {
            ledger.add(peer.store.block(n));
        }
        net.stop(peer);
        await().atMost(WAIT).until(() -> others.stream().allMatch(p -> p.gossip.channelPeerCount(CH) == others.size() - 1));
        return ledger;
    }

    private static Envelope blockMessage(Block block) {
        return rawBlockMessage(block.getHeader().getNumber(), block.toByteString());
    }

    private static Envelope rawBlockMessage(long number, ByteString data) {
        GossipMessage message = GossipMessage.newBuilder().setChannel(ByteString.copyFromUtf8(CH))
                .setTag(GossipMessage.Tag.CHAN_AND_ORG)
                .setDataMsg(DataMessage.newBuilder().setPayload(Payload.newBuilder().setSeqNum(number).setData(data)))
                .build();
        return GossipMessages.unsigned(message);
    }
}
