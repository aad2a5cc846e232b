package io.fabsim.gossip.grpc;

import static io.fabsim.gossip.grpc.GossipTestNet.CH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.fabsim.common.time.Clock;
import io.fabsim.gossip.LeadershipGossip;
import io.fabsim.gossip.RemotePeer;
import io.fabsim.gossip.TestOrderer;
import io.fabsim.gossip.TestPki;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Signed leadership messages between three peers of one org over real gRPC with mutual TLS. */
class LeadershipOverGrpcTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final TestOrderer orderer = new TestOrderer();
    private final List<Block> chain = orderer.chain(CH, 1);
    private final TestPki.Org org1 = TestPki.org("Org1MSP");
    private final GossipTestNet net = new GossipTestNet("", orderer.verifier(CH));

    @AfterEach
    void stop() {
        net.close();
    }

    private record Elector(GossipTestNet.Peer peer, LeadershipGossip leadership, LeadershipGossip.Metrics metrics,
                           List<LeadershipGossip.Received> received) {
    }

    private Elector start(String name) throws Exception {
        TestPki.Node node = org1.node(name);
        GossipTestNet.Peer peer = net.start(node, chain, true);
        LeadershipGossip.Metrics metrics = LeadershipGossip.Metrics.unexported();
        LeadershipGossip leadership = new LeadershipGossip(new LeadershipGossip.Setup(node.signer(),
                TestPki.verifier(org1), peer.transport, peer.transport, Clock.system(), metrics));
        peer.transport.onLeadership(leadership);
        List<LeadershipGossip.Received> received = new CopyOnWriteArrayList<>();
        leadership.subscribe(CH, received::add);
        return new Elector(peer, leadership, metrics, received);
    }

    @Test
    void declarationsReachTheOrgAndAForgedOneIsDroppedWithoutClosingTheConnection() throws Exception {
        // Scenario: three peers of Org1 connected by gossip; peer0 gossips a signed declaration, then
        // sends peer1 a copy whose signature is not its own, then a fresh proposal.
        // Expected: both others receive the declaration with peer0's PKI-ID; peer1 drops the forged
        // copy (counted as "signature") and still receives the proposal on the same connection.
        List<Elector> org = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            org.add(start("peer" + i + ".org1.example.com"));
        }
        await().atMost(WAIT).alias(net.describe()).until(() -> org.stream().allMatch(e -> e.peer.transport.peers().size() == 2));
        Elector p0 = org.get(0);
        assertThat(p0.leadership.gossip(p0.leadership.create(CH, true))).isEqualTo(2);
        ByteString p0Id = p0.peer.transport.localPkiId();
        for (Elector e : org.subList(1, 3)) {
            await().atMost(WAIT).until(() -> e.received.size() == 1);
            assertThat(e.received.get(0).pkiId()).isEqualTo(p0Id);
            assertThat(e.received.get(0).declaration()).isTrue();
        }
        Elector p1 = org.get(1);
        RemotePeer toP1 = p0.peer.transport.peers().stream()
                .filter(r -> r.pkiId().equals(p1.peer.transport.localPkiId())).findFirst().orElseThrow();
        Envelope genuine = p0.leadership.create(CH, true);
        Envelope forged = genuine.toBuilder().setSignature(org.get(2).leadership.create(CH, true).getSignature()).build();
        assertThat(toP1.send(forged)).isTrue();
        await().atMost(WAIT).until(() -> p1.metrics.dropped("signature") == 1);
        assertThat(toP1.send(p0.leadership.create(CH, false))).isTrue();
        await().atMost(WAIT).until(() -> p1.received.size() == 2);
        assertThat(p1.received.get(1).declaration()).isFalse();
        assertThat(p1.peer.transport.peers()).hasSize(2);
    }
}
