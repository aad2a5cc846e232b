package io.fabsim.gossip;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.fabsim.common.log.Mdc;
import io.fabsim.common.time.Clock;
import io.fabsim.common.verify.InvalidBlockException;
import io.fabsim.common.time.Scheduler;
import io.fabsim.common.crypto.IdentityVerifier;
import io.fabsim.common.crypto.SignatureVerificationException;
import io.fabsim.common.crypto.Signer;
import io.fabsim.gossip.discovery.Discovery;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.hyperledger.fabric.protos.gossip.PeerTime;
import org.hyperledger.fabric.protos.gossip.StateInfo;
import org.hyperledger.fabric.protos.gossip.StateInfoSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Gossip inside the organization, for every channel this peer joined (Fabric's gossip service +
 * state provider, push and anti-entropy only): a block that is new to this peer, from a peer, is
 * verified, added to the channel's {@link PayloadBuffer} and pushed to {@code propagatePeerNum}
 * random org peers of the channel (not the sender, not peers that announced a height above it); a
 * block from this peer's deliver client is buffered by {@link #addFromOrderer} and pushed the same
 * way only when the caller asks ({@link #gossip}). A block seen before, or one that fails
 * verification, is never forwarded.
 * Heights travel in StateInfo messages, periodically and after each commit; {@link StateTransfer}
 * fills gaps from them.
 */
public final class GossipNode implements GossipMessageHandler, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GossipNode.class);
    private static final int UNJOINED_STATE_INFO_MAX = 1024;

    /** What a gossip node works with; {@code links} is the transport (e.g. {@code GrpcGossipTransport}). */
    public record Setup(String peerName, GossipConfig config, PeerLinks links, Clock clock, GossipMetrics metrics,
            Self self) {
    }

    /**
     * Who this peer is in gossip: it signs alive and StateInfo messages with {@code signer}, verifies
     * others' with {@code verifier}; {@code endpoint} is Fabric's external endpoint (may be empty),
     * {@code internalEndpoint} what its org peers dial.
     */
    public record Self(Signer signer, IdentityVerifier verifier, String endpoint, String internalEndpoint) {
    }

    private final Setup setup;
    private final GossipConfig config;
    private final Map<String, ChannelGossip> channels = new ConcurrentHashMap<>();
    /** Heights announced per channel, also for channels not joined (yet): a late join starts informed. */
    private final Map<String, Map<ByteString, ChannelGossip.Announced>> announcements = new ConcurrentHashMap<>();
    private final StateTransfer stateTransfer;
    /** Publication and lag checks, on the setup's clock. */
    private final Scheduler scheduler;
    private final ExecutorService server;
    /** Runs state transfer rounds, which may block for seconds, off the scheduler (publication, lag checks). */
    private final ExecutorService catchUps;
    private final long incarnation;
    private final AtomicLong stateInfoSeq = new AtomicLong();
    private final Identities identities;
    private final BlockPullResponder blockPull;
    private final Discovery discovery;
    /** StateInfo of channels not joined (yet), by channel MAC: a late join starts informed. Bounded. */
    private final Map<ByteString, Envelope> unjoinedStateInfo = new ConcurrentHashMap<>();
    private volatile boolean started;

    public GossipNode(Setup setup) {
        this.setup = setup;
        this.config = setup.config();
        this.stateTransfer = new StateTransfer(config.state(), setup.links(), setup.clock());
        // every thread of the node carries the peer's name in the MDC
        this.scheduler = Mdc.with(Mdc.PEER, setup.peerName(),
                () -> setup.clock().newScheduler("gossip-state-" + setup.peerName()));
        this.server = Mdc.with(Mdc.PEER, setup.peerName(), () -> Executors.newFixedThreadPool(2,
                Mdc.daemonThreads("gossip-serve-" + setup.peerName())));
        this.catchUps = Mdc.with(Mdc.PEER, setup.peerName(), () -> Executors.newCachedThreadPool(
                Mdc.daemonThreads("gossip-catch-up-" + setup.peerName())));
        Instant now = setup.clock().now();
        this.incarnation = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        this.identities = new Identities(setup.self().verifier());
        this.blockPull = new BlockPullResponder(config.maxBlockCountToStore(), setup.links());
        this.discovery = new Discovery(new Discovery.Settings(config.aliveTimeInterval(), config.aliveExpirationTimeout(),
                config.publishCertPeriod(), config.propagatePeerNum()), new Discovery.Self(setup.peerName(),
                setup.self().signer(), setup.self().endpoint(), setup.self().internalEndpoint()), setup.links(),
                identities, setup.clock(), setup.metrics());
    }

    /** Fabric's membership of this peer (alive messages): a source of gossip endpoints, and what /status shows. */
    public Discovery discovery() {
        return discovery;
    }

    /** Starts the periodic StateInfo publication (anti-entropy runs per joined channel). */
    public synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        scheduler.scheduleWithFixedDelay(config.publishStateInfoInterval(), config.publishStateInfoInterval(),
                this::publishAll);
        discovery.start();
        log.info("gossip started for peer {} (profile {}, propagatePeerNum {}, state transfer {})", setup.peerName(),
                config.profile(), config.propagatePeerNum(), config.state().enabled() ? "on" : "off");
    }

    /**
     * Gossips the channel whose committer is given: its blocks are pushed and served, its height
     * announced, and (when {@code peer.gossip.state.enabled}) its gaps filled from peers.
     */
    public void joinChannel(Committer committer) {
        ChannelGossip channel = new ChannelGossip(committer, setup.metrics().channel(committer.channelId()),
                announcements.computeIfAbsent(committer.channelId(), id -> ChannelGossip.newAnnouncements()));
        if (channels.putIfAbsent(channel.id, channel) != null) {
            throw new IllegalStateException("peer " + setup.peerName() + ": channel " + channel.id
                    + " already joined gossip");
        }
        committer.addListener((channelId, block, height) -> publishAfterCommit(channel));
        if (config.state().enabled()) {
            channel.antiEntropy = scheduler.scheduleWithFixedDelay(config.state().checkInterval(),
                    config.state().checkInterval(), Mdc.wrap(Mdc.CHANNEL, channel.id, () -> antiEntropy(channel)));
            if (config.state().lagTimeout().isPresent()) {
                Duration lag = config.state().lagTimeout().get();
                channel.lagCheck = scheduler.scheduleWithFixedDelay(lag, lag,
                        Mdc.wrap(Mdc.CHANNEL, channel.id, () -> lagCheck(channel)));
            }
        }
        for (Envelope pending : unjoinedStateInfo.values()) {
            onStateInfo(null, pending, channel);
        }
        publish(channel, channel.buffer().height());
        log.info("joined gossip of channel {} at height {}", channel.id, channel.buffer().height());
    }

    /** Stops gossiping a channel (its committer keeps running; the caller owns it). */
    public void leaveChannel(String channelId) {
        ChannelGossip channel = channels.remove(channelId);
        if (channel != null && channel.antiEntropy != null) {
            channel.antiEntropy.cancel();
        }
        if (channel != null && channel.lagCheck != null) {
            channel.lagCheck.cancel();
        }
    }

    /**
     * Fabric's {@code AddPayload} for a block from this peer's deliver client (already verified by
     * it): buffered, waiting for room if needed. It is not pushed to peers: {@link #gossip} does that
     * when the caller decides so ({@code peer.deliveryclient.blockGossipEnabled}).
     */
    public AddResult addFromOrderer(String channelId, Block block) throws InterruptedException {
        return joined(channelId).buffer().add(block, Source.ORDERER);
    }

    /**
     * Fabric's {@code Gossip} of a block this peer got from the orderer: pushed to up to
     * {@code propagatePeerNum} org peers of the channel that may lack it.
     */
    public void gossip(String channelId, Block block) {
        push(joined(channelId), block, null);
    }

    private ChannelGossip joined(String channelId) {
        ChannelGossip channel = channels.get(channelId);
        if (channel == null) {
            throw new IllegalStateException("peer " + setup.peerName() + ": channel " + channelId + " not joined");
        }
        return channel;
    }

    /** The highest ledger height org peers announced for the channel (0 when none). */
    public long highestPeerHeight(String channelId) {
        ChannelGossip channel = channels.get(channelId);
        return channel == null ? 0 : channel.maxPeerHeight();
    }

    /** The number of connected org peers that announced the channel. */
    public int channelPeerCount(String channelId) {
        ChannelGossip channel = channels.get(channelId);
        if (channel == null) {
            return 0;
        }
        int n = 0;
        for (RemotePeer peer : setup.links().peers()) {
            n += channel.joinedBy(peer.pkiId()) ? 1 : 0;
        }
        return n;
    }

    @Override
    public void close() {
        discovery.close();
        scheduler.close();
        server.shutdownNow();
        catchUps.shutdownNow();
        channels.clear();
    }

    @Override
    public void connected(RemotePeer peer) {
        recordIdentity(peer);
        discovery.connected(peer);
        for (ChannelGossip channel : channels.values()) {
            peer.send(stateInfo(channel, channel.buffer().height()));
        }
    }

    @Override
    public void disconnected(RemotePeer peer) {
        for (Map<ByteString, ChannelGossip.Announced> peers : announcements.values()) {
            peers.remove(peer.pkiId());
        }
        for (ChannelGossip channel : channels.values()) {
            channel.forget(peer.pkiId());
        }
    }

    /** Called on the transport's threads: log lines name this peer and the message's channel. */
    @Override
    public void received(RemotePeer from, GossipMessage message) {
        received(from, GossipMessages.unsigned(message), message);
    }

    @Override
    public void received(RemotePeer from, Envelope envelope, GossipMessage message) {
        String channelId = GossipMessages.channelOf(message);
        Map<String, String> saved = MDC.getCopyOfContextMap();
        MDC.put(Mdc.PEER, setup.peerName());
        if (!channelId.isEmpty()) {
            MDC.put(Mdc.CHANNEL, channelId);
        }
        try {
            dispatch(from, envelope, message);
        } finally {
            Mdc.restore(saved);
        }
    }

    private void dispatch(RemotePeer from, Envelope envelope, GossipMessage message) {
        if (identities.get(from.pkiId()).isEmpty()) {
            // a connection that the transport accepted before this node listened to it
            recordIdentity(from);
        }
        Optional<String> illegal = MessageRules.illegalTag(message);
        if (illegal.isPresent()) {
            drop(from, "bad_tag", illegal.get());
            return;
        }
        if (discovery.handle(from, envelope, message)) {
            return;
        }
        switch (message.getContentCase()) {
            case STATE_INFO -> onStateInfo(from, envelope, null);
            case STATE_SNAPSHOT -> message.getStateSnapshot().getElementsList().forEach(e -> onStateInfo(from, e, null));
            case STATE_INFO_PULL_REQ -> onStateInfoPull(from, message);
            default -> onChannelMessage(from, message);
        }
    }

    private void onChannelMessage(RemotePeer from, GossipMessage message) {
        String channelId = GossipMessages.channelOf(message);
        ChannelGossip channel = channels.get(channelId);
        if (channel == null) {
            log.trace("message for channel '{}' not joined, from {}: ignored", GossipMessages.channelOf(message),
                    from.name());
            return;
        }
        switch (message.getContentCase()) {
            case DATA_MSG -> onBlock(from, channel, message);
            case HELLO, DATA_REQ -> server.execute(Mdc.wrap(Mdc.CHANNEL, channel.id,
                    () -> blockPull.serve(from, channel, message)));
            case STATE_REQUEST -> server.execute(Mdc.wrap(Mdc.CHANNEL, channel.id,
                    () -> stateTransfer.serve(from, channel, message)));
            case STATE_RESPONSE -> stateTransfer.responded(from, message);
            default -> log.trace("message {} from {} ignored", message.getContentCase(), from.name());
        }
    }

    private void onBlock(RemotePeer from, ChannelGossip channel, GossipMessage message) {
        channel.metrics.counters().received().inc();
        long number = message.getDataMsg().getPayload().getSeqNum();
        PayloadBuffer buffer = channel.buffer();
        if (buffer.has(number)) {
            channel.metrics.counters().duplicate().inc();
            return;
        }
        if (number >= buffer.height() + config.state().blockBufferSize()) {
            log.debug("block {} from {} is too far ahead of height {}: dropped", number,
                    from.name(), buffer.height());
            return;
        }
        Optional<Block> block = verified(from, channel, message);
        if (block.isEmpty()) {
            return;
        }
        try {
            AddResult result = buffer.add(block.get(), Source.GOSSIP);
            if (result.accepted()) {
                push(channel, block.get(), from.pkiId());
            } else if (result == AddResult.DUPLICATE || result == AddResult.BELOW_HEIGHT) {
                channel.metrics.counters().duplicate().inc();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Optional<Block> verified(RemotePeer from, ChannelGossip channel, GossipMessage message) {
        long number = message.getDataMsg().getPayload().getSeqNum();
        try {
            Block block = Block.parseFrom(message.getDataMsg().getPayload().getData());
            if (block.getHeader().getNumber() != number) {
                throw new InvalidBlockException(InvalidBlockException.Reason.WRONG_NUMBER, "channel " + channel.id + ": payload " + number + " holds block "
                        + block.getHeader().getNumber());
            }
            channel.committer.verifyOnReceipt(block);
            return Optional.of(block);
        } catch (InvalidProtocolBufferException | InvalidBlockException e) {
            channel.metrics.counters().rejected().inc();
            log.warn("block {} from {} refused, not forwarded: {}", number, from.name(),
                    e.getMessage());
            return Optional.empty();
        }
    }

    /** Sends the block to up to propagatePeerNum random peers of the channel that may lack it. */
    private void push(ChannelGossip channel, Block block, ByteString sender) {
        long number = block.getHeader().getNumber();
        List<RemotePeer> targets = new ArrayList<>();
        for (RemotePeer peer : setup.links().peers()) {
            long height = channel.heightOf(peer.pkiId());
            if (height >= 0 && height <= number && !peer.pkiId().equals(sender)) {
                targets.add(peer);
            }
        }
        Collections.shuffle(targets);
        Envelope envelope = GossipMessages.unsigned(GossipMessages.block(channel.id, block));
        int sent = 0;
        for (RemotePeer peer : targets) {
            if (sent == config.propagatePeerNum()) {
                break;
            }
            if (peer.send(envelope)) {
                sent++;
            }
        }
        channel.metrics.counters().pushed().inc(sent);
        log.debug("block {} pushed to {} peers", number, sent);
    }

    /** Starts one state transfer round on its own thread, unless one runs already for the channel. */
    private void antiEntropy(ChannelGossip channel) {
        if (channel.catchingUp.isLocked()) {
            return;
        }
        try {
            catchUps.execute(Mdc.wrap(Mdc.CHANNEL, channel.id, () -> catchUp(channel)));
        } catch (RejectedExecutionException e) {
            log.debug("gossip is closing; no state transfer round");
        }
    }

    private void catchUp(ChannelGossip channel) {
        if (!channel.catchingUp.tryLock()) {
            return;
        }
        try {
            stateTransfer.catchUp(channel);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("state transfer round failed", e);
        } finally {
            channel.catchingUp.unlock();
        }
    }

    /**
     * Every {@code lagTimeout}: a channel that was behind its peers at the previous check and has
     * committed nothing since fetches now, instead of at the next {@code checkInterval}.
     */
    private void lagCheck(ChannelGossip channel) {
        long height = channel.buffer().height();
        long peers = channel.maxPeerHeight();
        if (channel.stillBehind(height, peers > height)) {
            log.debug("still at height {} while a peer has {}: fetching now", height, peers);
            antiEntropy(channel);
        }
    }

    private void publishAll() {
        for (ChannelGossip channel : channels.values()) {
            publish(channel, channel.buffer().height());
        }
    }

    /**
     * The StateInfo of a commit: sent now when the previous one sent for a commit is at least
     * {@code commitStateInfoInterval} old, else once when it is, with the height then (a trailing
     * send, so the last height of a burst always goes out).
     */
    private void publishAfterCommit(ChannelGossip channel) {
        Duration least = config.commitStateInfoInterval();
        if (least.isZero()) {
            publish(channel, channel.buffer().height());
            return;
        }
        long wait = channel.commitPublication(setup.clock().nanoTime(), least.toNanos());
        if (wait == 0) {
            publish(channel, channel.buffer().height());
        } else if (wait > 0) {
            scheduler.schedule(Duration.ofNanos(wait), Mdc.wrap(Mdc.CHANNEL, channel.id, () -> {
                channel.commitPublished(setup.clock().nanoTime());
                publish(channel, channel.buffer().height());
            }));
        }
    }

    private void publish(ChannelGossip channel, long height) {
        Envelope envelope = stateInfo(channel, height);
        for (RemotePeer peer : setup.links().peers()) {
            peer.send(envelope);
        }
    }

    /** This peer's signed StateInfo for the channel, its channel hidden behind Fabric's MAC. */
    private Envelope stateInfo(ChannelGossip channel, long height) {
        PeerTime time = PeerTime.newBuilder().setIncNum(incarnation).setSeqNum(stateInfoSeq.incrementAndGet()).build();
        return SignedMessages.sign(GossipMessages.stateInfo(channel.id, setup.links().localPkiId(), height, time),
                setup.self().signer());
    }

    /**
     * A StateInfo (from {@code from}, or relayed in a snapshot, or kept from before a join when
     * {@code from} is null): its channel is the joined one whose MAC for the StateInfo's PKI-ID
     * matches (or only {@code only}); its signature must be by that PKI-ID's identity.
     */
    private void onStateInfo(RemotePeer from, Envelope envelope, ChannelGossip only) {
        GossipMessage message;
        try {
            message = GossipMessage.parseFrom(envelope.getPayload());
        } catch (InvalidProtocolBufferException e) {
            drop(from, "malformed", "a StateInfo envelope is not a GossipMessage");
            return;
        }
        StateInfo info = message.getStateInfo();
        if (!message.hasStateInfo() || info.getPkiId().isEmpty() || info.getPkiId().equals(setup.links().localPkiId())) {
            return;
        }
        ChannelGossip channel = null;
        for (ChannelGossip c : only == null ? channels.values() : List.of(only)) {
            if (SignedMessages.channelMac(info.getPkiId(), c.id).equals(info.getChannelMAC())) {
                channel = c;
            }
        }
        if (channel == null) {
            if (from != null && unjoinedStateInfo.size() < UNJOINED_STATE_INFO_MAX) {
                unjoinedStateInfo.put(info.getChannelMAC(), envelope);
            } else if (from != null) {
                drop(from, "unknown_channel_mac", "StateInfo of " + Hex.short16(info.getPkiId())
                        + " for no channel this peer knows");
            }
            return;
        }
        if (identities.get(info.getPkiId()).isEmpty()) {
            setup.metrics().dropped("unknown_identity");
            log.debug("peer {}: StateInfo of {} from {} dropped: its identity is not known yet", setup.peerName(),
                    Hex.short16(info.getPkiId()), from == null ? "?" : from.name());
            return;
        }
        try {
            identities.verify(info.getPkiId(), envelope.getPayload().toByteArray(), envelope.getSignature().toByteArray());
        } catch (SignatureVerificationException e) {
            drop(from, "bad_signature", "StateInfo of " + Hex.short16(info.getPkiId()) + ": " + e.getMessage());
            return;
        }
        unjoinedStateInfo.remove(info.getChannelMAC());
        channel.announced(info.getPkiId(), info.getTimestamp(), info.getProperties().getLedgerHeight(), envelope);
    }

    /** Fabric's StateInfoPullRequest: the channel is the one whose MAC for the requester matches. */
    private void onStateInfoPull(RemotePeer from, GossipMessage message) {
        ByteString mac = message.getStateInfoPullReq().getChannelMAC();
        for (ChannelGossip channel : channels.values()) {
            if (SignedMessages.channelMac(from.pkiId(), channel.id).equals(mac)) {
                StateInfoSnapshot.Builder snapshot = StateInfoSnapshot.newBuilder().addAllElements(channel.stateInfos())
                        .addElements(stateInfo(channel, channel.buffer().height()));
                from.send(GossipMessages.unsigned(GossipMessage.newBuilder().setTag(GossipMessage.Tag.CHAN_OR_ORG)
                        .setNonce(message.getNonce()).setStateSnapshot(snapshot).build()));
                return;
            }
        }
        drop(from, "unknown_channel_mac", "StateInfoPullRequest for no channel this peer joined");
    }

    /** The identity a peer presented in its handshake, for verifying what it signs (Fabric's idMapper.Put). */
    private void recordIdentity(RemotePeer peer) {
        try {
            identities.put(peer.pkiId(), peer.identity());
        } catch (SignatureVerificationException e) {
            log.warn("peer {}: identity of {} not recorded: {}", setup.peerName(), peer.name(), e.getMessage());
        }
    }

    private void drop(RemotePeer from, String reason, String detail) {
        setup.metrics().dropped(reason);
        log.warn("peer {}: gossip message from {} dropped: {}", setup.peerName(), from == null ? "?" : from.name(),
                detail);
    }

}
