package io.fabsim.gossip;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.fabsim.common.testing.TestPki;
import io.fabsim.common.time.ManualClock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.junit.jupiter.api.Test;

/** Leadership messages: what Fabric's election adapter signs and what the receiving side accepts. */
class LeadershipGossipTest {

    private static final String CH = "ch1";

    private final TestPki.Org org1 = TestPki.org("Org1MSP");
    private final TestPki.Org org2 = TestPki.org("Org2MSP");
    private final TestPki.Node a = org1.node("a");
    private final TestPki.Node b = org1.node("b");
    private final TestPki.Node x = org2.node("x");
    private final Map<ByteString, ByteString> identities = Map.of(
            id("a"), ByteString.copyFrom(a.signer().serializedIdentity()),
            id("x"), ByteString.copyFrom(x.signer().serializedIdentity()));
    private final LeadershipGossip.Metrics metrics = LeadershipGossip.Metrics.unexported();
    private final LeadershipGossip receiver = gossip(b, "b", List.of(), metrics);
    private final List<LeadershipGossip.Received> received = new CopyOnWriteArrayList<>();
    private final RemotePeer fromA = new RecordingPeer("a");

    LeadershipGossipTest() {
        receiver.subscribe(CH, received::add);
    }

    private LeadershipGossip gossip(TestPki.Node node, String pkiId, List<RemotePeer> peers,
            LeadershipGossip.Metrics m) {
        return new LeadershipGossip(new LeadershipGossip.Setup(node.signer(), TestPki.verifier(org1, org2),
                p -> Optional.ofNullable(identities.get(p)), new FakeLinks(pkiId, peers), new ManualClock(), m));
    }

    private static ByteString id(String s) {
        return ByteString.copyFromUtf8(s);
    }

    private void deliver(Envelope envelope) throws Exception {
        receiver.received(fromA, envelope, GossipMessage.parseFrom(envelope.getPayload()));
    }

    @Test
    void aSignedDeclarationIsFabricsMessageAndReachesEveryConnectedPeer() throws Exception {
        RecordingPeer p1 = new RecordingPeer("p1");
        RecordingPeer p2 = new RecordingPeer("p2");
        LeadershipGossip sender = gossip(a, "a", List.of(p1, p2), LeadershipGossip.Metrics.unexported());
        Envelope envelope = sender.create(CH, true);
        assertThat(sender.gossip(envelope)).isEqualTo(2);
        GossipMessage message = p1.received.get(0);
        assertThat(message.getTag()).isEqualTo(GossipMessage.Tag.CHAN_AND_ORG);
        assertThat(message.getChannel().toStringUtf8()).isEqualTo(CH);
        assertThat(message.getLeadershipMsg().getPkiId()).isEqualTo(id("a"));
        assertThat(message.getLeadershipMsg().getIsDeclaration()).isTrue();
        assertThat(message.getLeadershipMsg().getTimestamp().getSeqNum()).isEqualTo(1);
        assertThat(p2.count(GossipMessage.ContentCase.LEADERSHIP_MSG)).isEqualTo(1);
        assertThat(sender.create(CH, false).getPayload()).isNotEqualTo(envelope.getPayload());

        deliver(envelope);
        assertThat(received).singleElement().satisfies(r -> {
            assertThat(r.pkiId()).isEqualTo(id("a"));
            assertThat(r.declaration()).isTrue();
            assertThat(r.channel()).isEqualTo(CH);
        });
    }

    @Test
    void aReplayedOrOlderMessageIsStale() throws Exception {
        LeadershipGossip sender = gossip(a, "a", List.of(), LeadershipGossip.Metrics.unexported());
        Envelope first = sender.create(CH, false);
        Envelope second = sender.create(CH, true);
        deliver(second);
        deliver(first);
        deliver(second);
        assertThat(received).hasSize(1);
        assertThat(metrics.dropped("stale")).isEqualTo(2);
    }

    @Test
    void aForgedSignatureIsDroppedAndCounted() throws Exception {
        Envelope genuine = gossip(a, "a", List.of(), LeadershipGossip.Metrics.unexported()).create(CH, true);
        Envelope forged = genuine.toBuilder()
                .setSignature(ByteString.copyFrom(b.signer().sign(genuine.getPayload().toByteArray()))).build();
        deliver(forged);
        assertThat(received).isEmpty();
        assertThat(metrics.dropped("signature")).isEqualTo(1);
        deliver(genuine);
        assertThat(received).hasSize(1);
    }

    @Test
    void anotherOrgsPeerAnUnknownSenderAndAWrongTagAreDroppedAndCounted() throws Exception {
        deliver(gossip(x, "x", List.of(), LeadershipGossip.Metrics.unexported()).create(CH, true));
        deliver(gossip(b, "c", List.of(), LeadershipGossip.Metrics.unexported()).create(CH, true));
        GossipMessage wrongTag = GossipMessage.parseFrom(
                gossip(a, "a", List.of(), LeadershipGossip.Metrics.unexported()).create(CH, true).getPayload())
                .toBuilder().setTag(GossipMessage.Tag.CHAN_OR_ORG).build();
        deliver(Envelope.newBuilder().setPayload(wrongTag.toByteString())
                .setSignature(ByteString.copyFrom(a.signer().sign(wrongTag.toByteArray()))).build());
        assertThat(received).isEmpty();
        assertThat(metrics.dropped("other_org")).isEqualTo(1);
        assertThat(metrics.dropped("unknown_sender")).isEqualTo(1);
        assertThat(metrics.dropped("tag")).isEqualTo(1);
    }

    @Test
    void aChannelWithoutElectionIgnoresLeadershipMessages() throws Exception {
        deliver(gossip(a, "a", List.of(), LeadershipGossip.Metrics.unexported()).create("other", true));
        receiver.unsubscribe(CH);
        deliver(gossip(a, "a", List.of(), LeadershipGossip.Metrics.unexported()).create(CH, true));
        assertThat(received).isEmpty();
    }
}
