package io.fabsim.gossip;

import com.google.protobuf.ByteString;
import io.fabsim.common.crypto.IdentityVerifier;
import io.fabsim.common.crypto.SignatureVerificationException;
import io.fabsim.common.crypto.Signer;
import io.fabsim.common.time.Clock;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.hyperledger.fabric.protos.gossip.LeadershipMessage;
import org.hyperledger.fabric.protos.gossip.PeerTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fabric's leadership messages on the org's gossip (what Fabric's election adapter and gossip
 * channel do with them): this peer's proposals and declarations as signed {@code GossipMessage}s
 * (tag {@code CHAN_AND_ORG}, the channel in {@code channel}, a {@code LeadershipMessage} with its
 * PKI-ID, {@code is_declaration} and a {@code PeerTime} of (start time in ns, sequence)), sent to
 * every org peer connected; and incoming ones, handed to the channel's subscriber only when the
 * tag is right, the sender's identity is known, belongs to this peer's org and signed the message,
 * and its timestamp is newer than the last one from that peer on that channel. Anything else is
 * dropped and counted in {@code gossip_leader_election_messages_dropped{reason}}.
 */
public final class LeadershipGossip implements LeadershipHandler {

    private static final Logger log = LoggerFactory.getLogger(LeadershipGossip.class);

    /** A verified leadership message for the channel's subscriber. */
    public record Received(String channel, ByteString pkiId, boolean declaration, PeerTime timestamp, String from) {
    }

    /**
     * What the leadership gossip works with: {@code orgVerifier} verifies identities of this peer's
     * org, {@code identities} maps PKI-IDs to identities, {@code links} are the org peers to send to.
     */
    public record Setup(Signer signer, IdentityVerifier orgVerifier, PeerIdentities identities, PeerLinks links,
            Clock clock, Metrics metrics) {
    }

    /** The drop counter, registered once per registry. */
    public static final class Metrics {
        private final Counter dropped;

        public Metrics(PrometheusRegistry registry) {
            dropped = Counter.builder().name("gossip_leader_election_messages_dropped")
                    .help("Leadership messages dropped: bad tag, unknown sender, other org, bad signature, stale")
                    .labelNames("reason").register(registry);
        }

        public static Metrics unexported() {
            return new Metrics(new PrometheusRegistry());
        }

        public double dropped(String reason) {
            return dropped.labelValues(reason).get();
        }

        void drop(String reason) {
            dropped.labelValues(reason).inc();
        }
    }

    private final Setup setup;
    private final long incarnation;
    private final AtomicLong sequence = new AtomicLong();
    private final Map<String, Consumer<Received>> subscribers = new ConcurrentHashMap<>();
    private final Map<String, PeerTime> lastSeen = new ConcurrentHashMap<>();

    public LeadershipGossip(Setup setup) {
        this.setup = setup;
        Instant now = setup.clock().now();
        this.incarnation = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** This peer's PKI-ID. */
    public ByteString localPkiId() {
        return setup.links().localPkiId();
    }

    /** The org peers connected now. */
    public Collection<RemotePeer> peers() {
        return setup.links().peers();
    }

    /** This peer's signed proposal or declaration for {@code channel} (Fabric's adapter {@code CreateMessage}). */
    public Envelope create(String channel, boolean isDeclaration) {
        LeadershipMessage leadership = LeadershipMessage.newBuilder().setPkiId(localPkiId())
                .setIsDeclaration(isDeclaration)
                .setTimestamp(PeerTime.newBuilder().setIncNum(incarnation).setSeqNum(sequence.incrementAndGet()))
                .build();
        GossipMessage message = GossipMessage.newBuilder().setNonce(0).setTag(GossipMessage.Tag.CHAN_AND_ORG)
                .setChannel(GossipMessages.channel(channel)).setLeadershipMsg(leadership).build();
        byte[] payload = message.toByteArray();
        return Envelope.newBuilder().setPayload(ByteString.copyFrom(payload))
                .setSignature(ByteString.copyFrom(setup.signer().sign(payload))).build();
    }

    /** Sends a message to every org peer connected; returns to how many it was queued. */
    public int gossip(Envelope envelope) {
        int sent = 0;
        for (RemotePeer peer : peers()) {
            sent += peer.send(envelope) ? 1 : 0;
        }
        return sent;
    }

    /** Hands the channel's verified leadership messages to {@code subscriber} (replacing any earlier one). */
    public void subscribe(String channel, Consumer<Received> subscriber) {
        subscribers.put(channel, subscriber);
    }

    public void unsubscribe(String channel) {
        subscribers.remove(channel);
    }

    @Override
    public void received(RemotePeer from, Envelope envelope, GossipMessage message) {
        String channel = GossipMessages.channelOf(message);
        LeadershipMessage leadership = message.getLeadershipMsg();
        Optional<String> refused = refusal(message, envelope);
        if (refused.isPresent()) {
            setup.metrics().drop(refused.get());
            log.debug("channel {}: leadership message from {} (PKI-ID {}) dropped: {}", channel, from.name(),
                    hex(leadership.getPkiId()), refused.get());
            return;
        }
        Consumer<Received> subscriber = subscribers.get(channel);
        if (subscriber == null) {
            log.trace("channel {}: leadership message from {}: no election on this channel", channel, from.name());
            return;
        }
        if (!newer(channel, leadership)) {
            setup.metrics().drop("stale");
            return;
        }
        subscriber.accept(new Received(channel, leadership.getPkiId(), leadership.getIsDeclaration(),
                leadership.getTimestamp(), from.name()));
    }

    /** Why a message is refused (the reason label), or empty when it is acceptable. */
    private Optional<String> refusal(GossipMessage message, Envelope envelope) {
        if (message.getTag() != GossipMessage.Tag.CHAN_AND_ORG) {
            return Optional.of("tag");
        }
        Optional<ByteString> identity = setup.identities().identityOf(message.getLeadershipMsg().getPkiId());
        if (identity.isEmpty()) {
            return Optional.of("unknown_sender");
        }
        String mspId;
        try {
            mspId = setup.orgVerifier().verify(identity.get().toByteArray(), envelope.getPayload().toByteArray(),
                    envelope.getSignature().toByteArray());
        } catch (SignatureVerificationException e) {
            return Optional.of("signature");
        }
        return mspId.equals(setup.signer().mspId()) ? Optional.empty() : Optional.of("other_org");
    }

    /** Fabric's message store keeps a peer's newest leadership message only: older or equal ones are stale. */
    private boolean newer(String channel, LeadershipMessage message) {
        PeerTime time = message.getTimestamp();
        String key = channel + "/" + hex(message.getPkiId());
        boolean[] fresh = {false};
        lastSeen.compute(key, (k, last) -> {
            fresh[0] = last == null || time.getIncNum() > last.getIncNum()
                    || (time.getIncNum() == last.getIncNum() && time.getSeqNum() > last.getSeqNum());
            return fresh[0] ? time : last;
        });
        return fresh[0];
    }

    private static String hex(ByteString bytes) {
        return java.util.HexFormat.of().formatHex(bytes.toByteArray());
    }
}
