package io.fabsim.gossip.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.fabsim.common.config.HostPort;
import io.fabsim.common.crypto.Signer;
import io.fabsim.common.testing.TestPki;
import io.fabsim.common.time.ManualClock;
import io.fabsim.gossip.GossipMetrics;
import io.fabsim.gossip.Identities;
import io.fabsim.gossip.PeerLinks;
import io.fabsim.gossip.RemotePeer;
import io.fabsim.gossip.SignedMessages;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hyperledger.fabric.protos.gossip.AliveMessage;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.hyperledger.fabric.protos.gossip.Member;
import org.hyperledger.fabric.protos.gossip.MembershipRequest;
import org.hyperledger.fabric.protos.gossip.MembershipResponse;
import org.hyperledger.fabric.protos.gossip.PeerTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Fabric's membership protocol of one peer, against fake peers with real identities, on a manual clock. */
class DiscoveryTest {

    private static final Duration ALIVE = Duration.ofSeconds(5);
    private static final Duration EXPIRATION = Duration.ofSeconds(25);

    private final TestPki.Org org = TestPki.org("Org1MSP");
    private final TestPki.Node self = org.node("peer0");
    private final Peer b = new Peer(org.node("peer1").signer(), 8051);
    private final Peer c = new Peer(org.node("peer2").signer(), 8052);
    private final ManualClock clock = new ManualClock();
    private final GossipMetrics metrics = GossipMetrics.unexported();
    private final List<RemotePeer> connected = new CopyOnWriteArrayList<>(List.of(b));
    private final Discovery discovery = new Discovery(new Discovery.Settings(ALIVE, EXPIRATION, Duration.ofSeconds(10), 3),
            new Discovery.Self("peer0", self.signer(), "", "127.0.0.1:7051"), links(), identities(), clock, metrics);

    @AfterEach
    void close() {
        discovery.close();
    }

    @Test
    void aNewConnectionIsAskedForItsMembershipWithThisPeersSignedAliveMessageAndItsInternalEndpoint() throws Exception {
        discovery.connected(b);

        GossipMessage request = b.only(GossipMessage.ContentCase.MEM_REQ);
        assertThat(request.getTag()).isEqualTo(GossipMessage.Tag.EMPTY);
        Envelope selfInfo = request.getMemReq().getSelfInformation();
        AliveMessage alive = GossipMessage.parseFrom(selfInfo.getPayload()).getAliveMsg();
        assertThat(alive.getMembership().getPkiId()).isEqualTo(SignedMessages.pkiIdOf(self.signer().serializedIdentity()));
        assertThat(alive.getMembership().getEndpoint()).as("no external endpoint: not visible to other orgs").isEmpty();
        assertThat(alive.getIdentity().toByteArray()).as("identity during publishCertPeriod")
                .isEqualTo(self.signer().serializedIdentity());
        assertThat(SignedMessages.internalEndpoint(selfInfo)).contains("127.0.0.1:7051");
        assertThat(TestPki.verify(self.signer().certificate().getPublicKey(), selfInfo.getPayload().toByteArray(),
                selfInfo.getSignature().toByteArray())).isTrue();
    }

    @Test
    void aMemberSilentForTheExpirationTimeoutIsDeadWithinOneMoreAliveIntervalAndANewerAliveBringsItBack() {
        discovery.start();
        assertThat(discovery.handle(b, b.alive(1, 1, true), b.last())).isTrue();
        assertThat(discovery.isAlive(b.pkiId())).isTrue();
        assertThat(discovery.endpoints()).containsExactly(HostPort.parse("127.0.0.1:8051"));

        clock.advance(ALIVE);
        assertThat(b.count(GossipMessage.ContentCase.ALIVE_MSG)).as("this peer's own alive message").isEqualTo(1);
        clock.advance(EXPIRATION.minus(ALIVE));
        assertThat(discovery.isAlive(b.pkiId())).as("heard of exactly aliveExpirationTimeout ago").isTrue();
        clock.advance(ALIVE);
        assertThat(discovery.isAlive(b.pkiId())).isFalse();

        discovery.handle(b, b.alive(1, 1, false), b.last());
        assertThat(discovery.isAlive(b.pkiId())).as("the same alive message again").isFalse();
        discovery.handle(b, b.alive(2, 1, false), b.last());
        assertThat(discovery.isAlive(b.pkiId())).as("a restart: a later incarnation").isTrue();
    }

    @Test
    void badSignaturesAndForgedPkiIdsAreDroppedAndCountedAndTheConnectionStaysUsable() {
        discovery.handle(b, c.signedBy(b.signer, c.aliveMessage(1, 1, true)), c.last());
        assertThat(discovery.isAlive(c.pkiId())).isFalse();
        assertThat(metrics.droppedCount("bad_signature")).isEqualTo(1);

        Envelope forged = c.alive(1, 1, true);
        GossipMessage request = GossipMessage.newBuilder().setTag(GossipMessage.Tag.EMPTY)
                .setMemReq(MembershipRequest.newBuilder().setSelfInformation(forged)).build();
        discovery.handle(b, Envelope.newBuilder().setPayload(request.toByteString()).build(), request);
        assertThat(metrics.droppedCount("forged_pki_id")).isEqualTo(1);
        assertThat(b.count(GossipMessage.ContentCase.MEM_RES)).isZero();

        Envelope own = b.alive(1, 1, true);
        request = request.toBuilder().setNonce(42)
                .setMemReq(MembershipRequest.newBuilder().setSelfInformation(own)).build();
        discovery.handle(b, Envelope.newBuilder().setPayload(request.toByteString()).build(), request);
        GossipMessage response = b.only(GossipMessage.ContentCase.MEM_RES);
        assertThat(response.getNonce()).isEqualTo(42);
        assertThat(response.getMemRes().getAliveCount()).as("this peer's own alive message").isEqualTo(1);
        assertThat(discovery.isAlive(b.pkiId())).isTrue();
    }

    @Test
    void aMembershipResponseTeachesMembersThisPeerNeverHeardFromDirectly() {
        GossipMessage response = GossipMessage.newBuilder().setTag(GossipMessage.Tag.EMPTY)
                .setMemRes(MembershipResponse.newBuilder()
                        .addAlive(c.alive(1, 1, true)).addAlive(b.alive(1, 1, true)))
                .build();
        discovery.handle(b, Envelope.newBuilder().setPayload(response.toByteString()).build(), response);
        assertThat(discovery.isAlive(c.pkiId())).isTrue();
        assertThat(discovery.members()).hasSize(2);
    }

    private PeerLinks links() {
        ByteString pkiId = SignedMessages.pkiIdOf(self.signer().serializedIdentity());
        return new PeerLinks() {
            @Override
            public ByteString localPkiId() {
                return pkiId;
            }

            @Override
            public Collection<RemotePeer> peers() {
                return List.copyOf(connected);
            }

            @Override
            public int maxMessageBytes() {
                return 100 << 20;
            }
        };
    }

    private Identities identities() {
        return new Identities(TestPki.verifier(org));
    }

    /** A fake org peer with a real identity, recording what it is sent and building its own alive messages. */
    private static final class Peer implements RemotePeer {
        final Signer signer;
        final List<GossipMessage> sent = new CopyOnWriteArrayList<>();
        private GossipMessage last;
        private final int port;

        Peer(Signer signer, int port) {
            this.signer = signer;
            this.port = port;
        }

        AliveMessage aliveMessage(long inc, long seq, boolean withIdentity) {
            AliveMessage.Builder alive = AliveMessage.newBuilder()
                    .setMembership(Member.newBuilder().setPkiId(pkiId()))
                    .setTimestamp(PeerTime.newBuilder().setIncNum(inc).setSeqNum(seq));
            if (withIdentity) {
                alive.setIdentity(ByteString.copyFrom(signer.serializedIdentity()));
            }
            return alive.build();
        }

        Envelope alive(long inc, long seq, boolean withIdentity) {
            return SignedMessages.withInternalEndpoint(signedBy(signer, aliveMessage(inc, seq, withIdentity)),
                    "127.0.0.1:" + port, signer);
        }

        Envelope signedBy(Signer by, AliveMessage alive) {
            last = GossipMessage.newBuilder().setTag(GossipMessage.Tag.EMPTY).setAliveMsg(alive).build();
            return SignedMessages.sign(last, by);
        }

        GossipMessage last() {
            return last;
        }

        int count(GossipMessage.ContentCase kind) {
            return (int) sent.stream().filter(m -> m.getContentCase() == kind).count();
        }

        GossipMessage only(GossipMessage.ContentCase kind) {
            List<GossipMessage> all = sent.stream().filter(m -> m.getContentCase() == kind).toList();
            assertThat(all).hasSize(1);
            return all.get(0);
        }

        @Override
        public ByteString pkiId() {
            return SignedMessages.pkiIdOf(signer.serializedIdentity());
        }

        @Override
        public byte[] identity() {
            return signer.serializedIdentity();
        }

        @Override
        public String name() {
            return "peer-" + port;
        }

        @Override
        public boolean send(Envelope envelope) {
            try {
                sent.add(GossipMessage.parseFrom(envelope.getPayload()));
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError(e);
            }
            return true;
        }
    }
}
