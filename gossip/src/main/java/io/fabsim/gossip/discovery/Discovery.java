package io.fabsim.gossip.discovery;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.fabsim.common.config.HostPort;
import io.fabsim.common.crypto.SignatureVerificationException;
import io.fabsim.common.crypto.Signer;
import io.fabsim.common.time.Clock;
import io.fabsim.common.time.Scheduler;
import io.fabsim.gossip.GossipMetrics;
import io.fabsim.gossip.Hex;
import io.fabsim.gossip.Identities;
import io.fabsim.gossip.PeerLinks;
import io.fabsim.gossip.RemotePeer;
import io.fabsim.gossip.SignedMessages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.hyperledger.fabric.protos.gossip.AliveMessage;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.hyperledger.fabric.protos.gossip.Member;
import org.hyperledger.fabric.protos.gossip.MembershipRequest;
import org.hyperledger.fabric.protos.gossip.MembershipResponse;
import org.hyperledger.fabric.protos.gossip.PeerTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fabric's membership ({@code gossip/discovery}): every {@code aliveTimeInterval} this peer signs an
 * {@code AliveMessage} (its endpoint and PKI-ID, {@code PeerTime{inc_num = start time, seq_num}},
 * its identity during {@code publishCertPeriod} after start, its internal endpoint in a signed
 * {@code SecretEnvelope}) and sends it to {@code propagatePeerNum} random connected peers; a peer
 * forwards each alive message that is new to it the same way. A member not heard of for
 * {@code aliveExpirationTimeout} is dead; a newer alive message (a later seq_num, or a restart's
 * later inc_num) brings it back. A new connection is asked for the sender's membership with a
 * {@code MembershipRequest}, answered by a {@code MembershipResponse} of the alive messages known.
 * Messages that fail verification are dropped and counted ({@code gossip_messages_dropped}).
 */
public final class Discovery implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Discovery.class);

    /** Members kept at most (alive and dead): a flood of identities cannot grow memory without bound. */
    public static final int MAX_MEMBERS = 4096;
    /** Fabric's {@code msgExpirationFactor}: a dead member is forgotten after this many expiration timeouts. */
    private static final int FORGET_FACTOR = 20;

    /** Fabric's timing keys ({@code peer.gossip.aliveTimeInterval}, ...). */
    public record Settings(Duration aliveTimeInterval, Duration aliveExpirationTimeout, Duration publishCertPeriod,
            int propagatePeerNum) {
    }

    /**
     * This peer: {@code endpoint} is what other orgs dial (Fabric's externalEndpoint, may be empty),
     * {@code internalEndpoint} what its own org dials.
     */
    public record Self(String peerName, Signer signer, String endpoint, String internalEndpoint) {
    }

    /** A member as {@code /status} shows it. */
    public record MemberView(String pkiId, String endpoint, boolean alive) {
    }

    private static final class Entry {
        final ByteString pkiId;
        String endpoint;
        PeerTime time;
        Envelope alive;
        long lastSeenNanos;
        boolean dead;

        Entry(ByteString pkiId) {
            this.pkiId = pkiId;
        }
    }

    private final Settings settings;
    private final Self self;
    private final ByteString selfPkiId;
    private final PeerLinks links;
    private final Identities identities;
    private final Clock clock;
    private final GossipMetrics metrics;
    private final long incarnation;
    private final long startNanos;
    private final AtomicLong seq = new AtomicLong();
    private final Map<ByteString, Entry> members = new LinkedHashMap<>();
    private Scheduler scheduler;

    public Discovery(Settings settings, Self self, PeerLinks links, Identities identities, Clock clock,
            GossipMetrics metrics) {
        this.settings = settings;
        this.self = self;
        this.selfPkiId = links.localPkiId();
        this.links = links;
        this.identities = identities;
        this.clock = clock;
        this.metrics = metrics;
        this.incarnation = clock.now().getEpochSecond() * 1_000_000_000L + clock.now().getNano();
        this.startNanos = clock.nanoTime();
    }

    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        scheduler = clock.newScheduler("gossip-discovery-" + self.peerName());
        scheduler.scheduleAtFixedRate(settings.aliveTimeInterval(), settings.aliveTimeInterval(), this::sendAlive);
        Duration check = settings.aliveExpirationTimeout().dividedBy(10);
        scheduler.scheduleAtFixedRate(check, check, this::expire);
    }

    /** A new connection: ask the peer for its membership (with this peer's alive message inside). */
    public void connected(RemotePeer peer) {
        GossipMessage request = GossipMessage.newBuilder().setTag(GossipMessage.Tag.EMPTY)
                .setMemReq(MembershipRequest.newBuilder().setSelfInformation(ownAlive())).build();
        peer.send(Envelope.newBuilder().setPayload(request.toByteString()).build());
    }

    /** Handles a membership message (alive, request, response); false when {@code message} is none. */
    public boolean handle(RemotePeer from, Envelope envelope, GossipMessage message) {
        switch (message.getContentCase()) {
            case ALIVE_MSG -> {
                if (verifiedAlive(from, envelope, message) && learn(envelope, message.getAliveMsg())) {
                    forward(envelope, from.pkiId(), message.getAliveMsg().getMembership().getPkiId());
                }
            }
            case MEM_REQ -> onRequest(from, message);
            case MEM_RES -> {
                for (Envelope alive : message.getMemRes().getAliveList()) {
                    parse(from, alive).filter(m -> m.hasAliveMsg() && verifiedAlive(from, alive, m))
                            .ifPresent(m -> learn(alive, m.getAliveMsg()));
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Where the members this peer knows listen, alive and dead (dead ones are dialled again: Fabric's reconnect). */
    public synchronized List<HostPort> endpoints() {
        List<HostPort> endpoints = new ArrayList<>();
        for (Entry e : members.values()) {
            try {
                endpoints.add(HostPort.parse(e.endpoint));
            } catch (IllegalArgumentException ignored) {
                // an endpoint that does not parse is not dialled (counted when learned)
            }
        }
        return endpoints;
    }

    public synchronized boolean isAlive(ByteString pkiId) {
        Entry e = members.get(pkiId);
        return e != null && !e.dead;
    }

    public synchronized List<MemberView> members() {
        List<MemberView> views = new ArrayList<>();
        for (Entry e : members.values()) {
            views.add(new MemberView(Hex.short16(e.pkiId), e.endpoint, !e.dead));
        }
        return views;
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.close();
        }
    }

    /** This peer's signed alive message, with its internal endpoint, and its identity during publishCertPeriod. */
    Envelope ownAlive() {
        AliveMessage.Builder alive = AliveMessage.newBuilder()
                .setMembership(Member.newBuilder().setEndpoint(self.endpoint()).setPkiId(selfPkiId))
                .setTimestamp(PeerTime.newBuilder().setIncNum(incarnation).setSeqNum(seq.incrementAndGet()));
        if (clock.nanoTime() - startNanos < settings.publishCertPeriod().toNanos()) {
            alive.setIdentity(ByteString.copyFrom(self.signer().serializedIdentity()));
        }
        GossipMessage message = GossipMessage.newBuilder().setTag(GossipMessage.Tag.EMPTY).setAliveMsg(alive).build();
        Envelope signed = SignedMessages.sign(message, self.signer());
        return self.internalEndpoint().isEmpty() ? signed
                : SignedMessages.withInternalEndpoint(signed, self.internalEndpoint(), self.signer());
    }

    private void sendAlive() {
        forward(ownAlive(), selfPkiId, selfPkiId);
    }

    /** Sends to up to propagatePeerNum random connected peers, neither {@code sender} nor {@code origin}. */
    private void forward(Envelope envelope, ByteString sender, ByteString origin) {
        List<RemotePeer> targets = new ArrayList<>();
        for (RemotePeer peer : links.peers()) {
            if (!peer.pkiId().equals(sender) && !peer.pkiId().equals(origin)) {
                targets.add(peer);
            }
        }
        Collections.shuffle(targets);
        for (RemotePeer peer : targets.subList(0, Math.min(settings.propagatePeerNum(), targets.size()))) {
            peer.send(envelope);
        }
    }

    private void onRequest(RemotePeer from, GossipMessage message) {
        Envelope selfInfo = message.getMemReq().getSelfInformation();
        Optional<GossipMessage> alive = parse(from, selfInfo).filter(GossipMessage::hasAliveMsg);
        if (alive.isEmpty()) {
            drop(from, "malformed", "membership request without an alive message");
            return;
        }
        if (!alive.get().getAliveMsg().getMembership().getPkiId().equals(from.pkiId())) {
            drop(from, "forged_pki_id", "membership request carries the alive message of another peer ("
                    + Hex.short16(alive.get().getAliveMsg().getMembership().getPkiId()) + ")");
            return;
        }
        if (!verifiedAlive(from, selfInfo, alive.get())) {
            return;
        }
        learn(selfInfo, alive.get().getAliveMsg());
        MembershipResponse.Builder response = MembershipResponse.newBuilder();
        synchronized (this) {
            for (Entry e : members.values()) {
                if (!e.dead && !e.pkiId.equals(from.pkiId())) {
                    response.addAlive(e.alive);
                }
            }
        }
        response.addAlive(ownAlive());
        GossipMessage reply = GossipMessage.newBuilder().setTag(GossipMessage.Tag.EMPTY).setNonce(message.getNonce())
                .setMemRes(response).build();
        from.send(Envelope.newBuilder().setPayload(reply.toByteString()).build());
    }

    /** Fabric's {@code ValidateAliveMsg}: a PKI-ID, a signature, by the identity carried or known for that PKI-ID. */
    private boolean verifiedAlive(RemotePeer from, Envelope envelope, GossipMessage message) {
        AliveMessage alive = message.getAliveMsg();
        ByteString pkiId = alive.getMembership().getPkiId();
        if (pkiId.isEmpty() || envelope.getSignature().isEmpty() || message.getTag() != GossipMessage.Tag.EMPTY) {
            drop(from, "malformed", "alive message without PKI-ID or signature, or with tag " + message.getTag());
            return false;
        }
        if (pkiId.equals(selfPkiId)) {
            return false;
        }
        if (alive.getIdentity().isEmpty() && identities.get(pkiId).isEmpty()) {
            metrics.dropped("unknown_identity");
            log.debug("{}: alive message of {} from {} dropped: its identity is not known yet", self.peerName(),
                    Hex.short16(pkiId), from.name());
            return false;
        }
        try {
            if (!alive.getIdentity().isEmpty()) {
                identities.put(pkiId, alive.getIdentity().toByteArray());
            }
            identities.verify(pkiId, envelope.getPayload().toByteArray(), envelope.getSignature().toByteArray());
            return true;
        } catch (SignatureVerificationException e) {
            drop(from, "bad_signature", "alive message of " + Hex.short16(pkiId) + " refused: " + e.getMessage());
            return false;
        }
    }

    /** Records a verified alive message; true when it was new (a member learned, refreshed or back from the dead). */
    private synchronized boolean learn(Envelope envelope, AliveMessage alive) {
        ByteString pkiId = alive.getMembership().getPkiId();
        Entry entry = members.get(pkiId);
        if (entry == null) {
            if (members.size() >= MAX_MEMBERS && !forgetOneDead()) {
                log.warn("{}: gossip membership full ({} members): alive message of {} ignored", self.peerName(),
                        MAX_MEMBERS, Hex.short16(pkiId));
                return false;
            }
            entry = new Entry(pkiId);
            members.put(pkiId, entry);
        } else if (!newer(alive.getTimestamp(), entry.time)) {
            return false;
        }
        boolean resurrected = entry.dead;
        boolean learned = entry.time == null;
        entry.time = alive.getTimestamp();
        entry.alive = envelope;
        entry.endpoint = SignedMessages.internalEndpoint(envelope).orElse(alive.getMembership().getEndpoint());
        entry.lastSeenNanos = clock.nanoTime();
        entry.dead = false;
        if (learned || resurrected) {
            log.info("{}: gossip membership: {} {} at {}", self.peerName(), learned ? "learned" : "alive again",
                    Hex.short16(pkiId), entry.endpoint);
        }
        return true;
    }

    private boolean forgetOneDead() {
        for (Entry e : members.values()) {
            if (e.dead) {
                members.remove(e.pkiId);
                return true;
            }
        }
        return false;
    }

    private synchronized void expire() {
        long now = clock.nanoTime();
        long timeout = settings.aliveExpirationTimeout().toNanos();
        members.values().removeIf(e -> e.dead && now - e.lastSeenNanos > FORGET_FACTOR * timeout);
        for (Entry e : members.values()) {
            if (!e.dead && now - e.lastSeenNanos > timeout) {
                e.dead = true;
                log.info("{}: gossip membership: {} at {} is dead (no alive message for {})", self.peerName(),
                        Hex.short16(e.pkiId), e.endpoint, settings.aliveExpirationTimeout());
            }
        }
    }

    /** Fabric's PeerTime order: a later incarnation, or the same one with a later sequence number. */
    static boolean newer(PeerTime candidate, PeerTime known) {
        return candidate.getIncNum() != known.getIncNum() ? Long.compareUnsigned(candidate.getIncNum(), known.getIncNum()) > 0
                : Long.compareUnsigned(candidate.getSeqNum(), known.getSeqNum()) > 0;
    }

    private Optional<GossipMessage> parse(RemotePeer from, Envelope envelope) {
        try {
            return Optional.of(GossipMessage.parseFrom(envelope.getPayload()));
        } catch (InvalidProtocolBufferException e) {
            drop(from, "malformed", "an enclosed envelope is not a GossipMessage");
            return Optional.empty();
        }
    }

    private void drop(RemotePeer from, String reason, String detail) {
        metrics.dropped(reason);
        log.warn("{}: gossip: message from {} dropped: {}", self.peerName(), from.name(), detail);
    }
}
