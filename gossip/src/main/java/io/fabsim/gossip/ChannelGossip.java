package io.fabsim.gossip;

import com.google.protobuf.ByteString;
import io.fabsim.common.time.Scheduler;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.hyperledger.fabric.protos.gossip.PeerTime;

/** What gossip keeps per joined channel: the committer (buffer, store, verifier) and the peers' heights. */
final class ChannelGossip {

    /** The latest StateInfo of one peer: its timestamp orders announcements that overtake each other. */
    record Announced(long incNum, long seqNum, long height, Envelope envelope) {

        boolean newerThan(Announced other) {
            return incNum != other.incNum ? incNum > other.incNum : seqNum > other.seqNum;
        }
    }

    final String id;
    final Committer committer;
    final GossipMetrics.Channel metrics;
    private final Map<ByteString, Announced> peers;
    volatile Scheduler.Cancellable antiEntropy;
    volatile Scheduler.Cancellable lagCheck;
    /** Held by the one state transfer round of this channel that runs (periodic or lag-triggered). */
    final ReentrantLock catchingUp = new ReentrantLock();
    /** The height at the previous lag check when the channel was behind its peers then, else -1. */
    private long behindAt = -1;
    /** When the last StateInfo sent for a commit went out (clock nanos), and whether one is scheduled. */
    private long commitPublishedAt;
    private boolean commitPublicationScheduled;
    private boolean commitPublishedOnce;

    /** {@code peers}: the announcements for this channel, possibly received before it was joined. */
    ChannelGossip(Committer committer, GossipMetrics.Channel metrics, Map<ByteString, Announced> peers) {
        this.id = committer.channelId();
        this.committer = committer;
        this.metrics = metrics;
        this.peers = peers;
        metrics.membership().set(peers.size());
    }

    static Map<ByteString, Announced> newAnnouncements() {
        return new ConcurrentHashMap<>();
    }

    static void announce(Map<ByteString, Announced> peers, ByteString pkiId, PeerTime time, long height,
            Envelope envelope) {
        Announced fresh = new Announced(time.getIncNum(), time.getSeqNum(), height, envelope);
        peers.merge(pkiId, fresh, (old, neu) -> neu.newerThan(old) ? neu : old);
    }

    PayloadBuffer buffer() {
        return committer.buffer();
    }

    void announced(ByteString pkiId, PeerTime time, long height, Envelope envelope) {
        announce(peers, pkiId, time, height, envelope);
        metrics.membership().set(peers.size());
    }

    void forget(ByteString pkiId) {
        peers.remove(pkiId);
        metrics.membership().set(peers.size());
    }

    /** The signed StateInfo envelopes of the peers of this channel (for a StateInfoSnapshot). */
    java.util.List<Envelope> stateInfos() {
        java.util.List<Envelope> all = new java.util.ArrayList<>();
        for (Announced a : peers.values()) {
            if (a.envelope() != null) {
                all.add(a.envelope());
            }
        }
        return all;
    }

    boolean joinedBy(ByteString pkiId) {
        return peers.containsKey(pkiId);
    }

    /** The announced height of a peer, or -1 when it did not announce this channel. */
    long heightOf(ByteString pkiId) {
        Announced a = peers.get(pkiId);
        return a == null ? -1 : a.height();
    }

    /**
     * Records one lag check: returns true when the channel is behind its peers now and already was,
     * at the same height, at the previous check (it committed nothing in between).
     */
    synchronized boolean stillBehind(long height, boolean behind) {
        boolean stalled = behind && behindAt == height;
        behindAt = behind ? height : -1;
        return stalled;
    }

    /**
     * Decides the StateInfo of a commit at {@code now}, at most one per {@code least} nanos: 0 to
     * send it now (recorded as sent), the delay to schedule a send after (recorded as scheduled),
     * or -1 when one is scheduled already (it will carry this commit's height).
     */
    synchronized long commitPublication(long now, long least) {
        if (commitPublicationScheduled) {
            return -1;
        }
        long wait = commitPublishedOnce ? commitPublishedAt + least - now : 0;
        if (wait <= 0) {
            commitPublishedAt = now;
            commitPublishedOnce = true;
            return 0;
        }
        commitPublicationScheduled = true;
        return wait;
    }

    /** A scheduled StateInfo of commits goes out at {@code now}. */
    synchronized void commitPublished(long now) {
        commitPublicationScheduled = false;
        commitPublishedAt = now;
    }

    long maxPeerHeight() {
        long max = 0;
        for (Announced a : peers.values()) {
            max = Math.max(max, a.height());
        }
        return max;
    }
}
