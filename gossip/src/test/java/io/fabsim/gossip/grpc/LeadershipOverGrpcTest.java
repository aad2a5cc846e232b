package io.fabsim.gossip.grpc;

import static io.fabsim.gossip.grpc.GossipTestNet.CH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.fabsim.common.testing.TestPki;
import io.fabsim.common.testing.TestSigner;
import io.fabsim.common.time.Clock;
import io.fabsim.gossip.BlockVerifier;
import io.fabsim.gossip.LeadershipGossip;
import io.fabsim.gossip.RemotePeer;
import io.fabsim.gossip.TestBlockVerifiers;
import io.fabsim.ledger.testing.TestBlocks;
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

    private final TestSigner orderer = TestPki.org("OrdererMSP").node("orderer.example.com").signer();
    private final BlockVerifier verifier = TestBlockVerifiers.signedBy(CH, orderer.keyPair().getPublic());
    private final List<Block> chain = TestBlocks.signed(CH, orderer).chain(1);
    private final TestPki.Org org1 = TestPki.org("Org1MSP");
    private final GossipTestNet net = new GossipTestNet("", verifier);

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
        // sends peer1 a proposal whose signature is not its own, then a genuine proposal.
        // Expected: both others receive the declaration with peer0's PKI-ID; peer1 drops the forged
        // copy (counted as "signature", nothing handed on) and still receives proposals from peer0.
        List<Elector> org = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            org.add(start("peer" + i + ".org1.example.com"));
        }
        await().atMost(WAIT).alias(net.describe()).until(() -> org.stream().allMatch(e -> e.peer.transport.peers().size() == 2));
        // A connection may drop and be re-dialled on a loaded machine, losing what was queued on it:
        // like Fabric's election, the test sends again until the message is there.
        Elector p0 = org.get(0);
        ByteString p0Id = p0.peer.transport.localPkiId();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).alias(net.describe()).until(() -> {
            p0.leadership.gossip(p0.leadership.create(CH, true));
            return org.subList(1, 3).stream().noneMatch(e -> e.received.isEmpty());
        });
        for (Elector e : org.subList(1, 3)) {
            assertThat(e.received).allSatisfy(r -> {
                assertThat(r.pkiId()).isEqualTo(p0Id);
                assertThat(r.declaration()).isTrue();
            });
        }
        Elector p1 = org.get(1);
        // The forged copy is a proposal (declaration false): a late copy of the declarations sent above
        // can still arrive, so "nothing handed on" is that no proposal reached p1 before a genuine one.
        Envelope genuine = p0.leadership.create(CH, false);
        Envelope forged = genuine.toBuilder().setSignature(org.get(2).leadership.create(CH, false).getSignature()).build();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            toPeer(p0, p1).ifPresent(r -> r.send(forged));
            return p1.metrics.dropped("signature") >= 1;
        });
        assertThat(p1.received).noneMatch(r -> !r.declaration());
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            toPeer(p0, p1).ifPresent(r -> r.send(p0.leadership.create(CH, false)));
            return p1.received.stream().anyMatch(r -> !r.declaration());
        });
        await().atMost(WAIT).until(() -> p1.peer.transport.peers().size() == 2);
    }

    private static java.util.Optional<RemotePeer> toPeer(Elector from, Elector to) {
        return from.peer.transport.peers().stream()
                .filter(r -> r.pkiId().equals(to.peer.transport.localPkiId())).findFirst();
    }
}
