package io.fabsim.election.fabric;

import com.google.protobuf.ByteString;
import io.fabsim.common.time.Clock;
import io.fabsim.common.time.Scheduler;
import io.fabsim.election.FabricElectionConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fabric's leader election for one channel ({@code gossip/election/election.go}), as steps on a
 * {@link Scheduler} instead of goroutines and sleeps.
 *
 * <p>The algorithm, as Fabric states it:
 * <pre>
 * Startup: wait until the membership size stops changing between two samples
 *          (membershipSampleInterval), or a declaration arrives, or startupGracePeriod passes.
 * Steady state, forever:
 *   if no leader is known: elect
 *   if leader:  gossip a declaration; sleep leaderAliveThreshold / 2 (woken by a declaration);
 *               a declaration from a lower PKI-ID makes it a follower at once
 *   else:       forget proposals and the known leader; sleep leaderAliveThreshold
 *               (a declaration during that sleep keeps the leader known)
 * Elect: gossip a proposal; collect for leaderElectionDuration (woken by a declaration);
 *        if a declaration came, or a proposal from a lower PKI-ID, stay a follower; else lead.
 * Yield: stop leading, forget the leader, and do not propose for 6 x leaderAliveThreshold.
 * </pre>
 * Messages from a sender that {@link LeaderElectionAdapter#peers()} does not list are ignored.
 * PKI-IDs compare as unsigned bytes (Go's {@code bytes.Compare}). Every step runs under this
 * object's lock; leadership changes reach the callback on the scheduler's thread, in order.
 */
final class ChannelElection {

    private static final Logger log = LoggerFactory.getLogger(ChannelElection.class);

    /** Told of every leadership change of this peer, on the scheduler's thread. */
    interface Callback {
        void leadershipChanged(boolean isLeader);

        void leaderChanged(Optional<String> leader);
    }

    private final String channel;
    private final ByteString id;
    private final FabricElectionConfig config;
    private final LeaderElectionAdapter adapter;
    private final Scheduler scheduler;
    private final Clock clock;
    private final Callback callback;
    private final Set<ByteString> proposals = new HashSet<>();
    private volatile boolean leader;
    private volatile Optional<String> knownLeader = Optional.empty();
    private boolean leaderExists;
    private boolean yielding;
    private boolean stopped;
    private int viewSize;
    private long graceEnd;
    private boolean sleeping;
    private long sleepToken;
    private Runnable afterSleep;
    private Scheduler.Cancellable pending;
    private Scheduler.Cancellable yieldEnd;

    /** The collaborators of one channel's election. */
    record Setup(String channel, ByteString id, FabricElectionConfig config, LeaderElectionAdapter adapter,
                 Scheduler scheduler, Clock clock) {
    }

    ChannelElection(Setup setup, Callback callback) {
        this.channel = setup.channel();
        this.id = setup.id();
        this.config = setup.config();
        this.adapter = setup.adapter();
        this.scheduler = setup.scheduler();
        this.clock = setup.clock();
        this.callback = callback;
    }

    /** Starts listening and waits (on the scheduler) for the membership to stabilise. */
    synchronized void start() {
        adapter.accept(message -> scheduler.schedule(Duration.ZERO, () -> handle(message)));
        viewSize = adapter.peers().size();
        graceEnd = clock.nanoTime() + config.startupGracePeriod().toNanos();
        pending = later(config.membershipSampleInterval(), this::sampleMembership);
    }

    boolean isLeader() {
        return leader;
    }

    Optional<String> leader() {
        return knownLeader;
    }

    /** Gives up leadership now; takes no part in elections for {@link FabricElectionConfig#yieldPeriod()}. */
    synchronized void yieldLeadership() {
        if (stopped || !leader || yielding) {
            return;
        }
        yielding = true;
        stopBeingLeader();
        leaderExists = false;
        setKnownLeader(Optional.empty());
        yieldEnd = later(config.yieldPeriod(), () -> yielding = false);
        log.debug("channel {}: yielded leadership for {}", channel, config.yieldPeriod());
    }

    /** Stops every step; returns whether this peer was leader (no callback is made). */
    synchronized boolean stop() {
        stopped = true;
        if (pending != null) {
            pending.cancel();
        }
        if (yieldEnd != null) {
            yieldEnd.cancel();
        }
        adapter.close();
        boolean was = leader;
        leader = false;
        return was;
    }

    private void sampleMembership() {
        int size = adapter.peers().size();
        if (size == viewSize || clock.nanoTime() >= graceEnd || leaderExists) {
            log.debug("channel {}: membership settled with {} peers", channel, size);
            steadyState();
            return;
        }
        viewSize = size;
        pending = later(config.membershipSampleInterval(), this::sampleMembership);
    }

    /** One turn of Fabric's {@code run} loop. */
    private void steadyState() {
        if (!leaderExists) {
            setKnownLeader(leader ? knownLeader : Optional.empty());
            electLeader();
        } else {
            leadOrFollow();
        }
    }

    private void electLeader() {
        if (yielding) {
            leadOrFollow();
            return;
        }
        adapter.gossip(adapter.createMessage(false));
        sleep(config.leaderElectionDuration(), this::electionOver);
    }

    private void electionOver() {
        if (!leaderExists && !yielding && !lowerProposal()) {
            beLeader();
            leaderExists = true;
        }
        leadOrFollow();
    }

    private boolean lowerProposal() {
        for (ByteString other : proposals) {
            if (compare(other, id) < 0) {
                return true;
            }
        }
        return false;
    }

    private void leadOrFollow() {
        if (leader) {
            adapter.gossip(adapter.createMessage(true));
            sleep(config.declarationInterval(), this::steadyState);
        } else {
            proposals.clear();
            leaderExists = false;
            pending = later(config.leaderAliveThreshold(), this::steadyState);
        }
    }

    private synchronized void handle(ElectionMessage message) {
        if (stopped) {
            return;
        }
        ByteString sender = message.senderId();
        Optional<ElectionPeer> from = adapter.peers().stream().filter(p -> p.pkiId().equals(sender)).findFirst();
        if (from.isEmpty()) {
            log.debug("channel {}: {} from a peer not in the view: ignored", channel, kind(message));
            return;
        }
        log.trace("channel {}: {} from {}", channel, kind(message), from.get().name());
        if (message.isProposal()) {
            proposals.add(sender);
            return;
        }
        leaderExists = true;
        if (sleeping) {
            long token = sleepToken;
            pending.cancel();
            pending = later(Duration.ZERO, () -> wake(token));
        }
        if (leader && compare(sender, id) < 0) {
            stopBeingLeader();
        }
        if (!leader) {
            setKnownLeader(Optional.of(from.get().name()));
        }
    }

    /** Fabric's {@code waitForInterrupt}: continues with {@code next} after {@code duration} or at a declaration. */
    private void sleep(Duration duration, Runnable next) {
        sleeping = true;
        long token = ++sleepToken;
        afterSleep = next;
        pending = later(duration, () -> wake(token));
    }

    private void wake(long token) {
        if (!sleeping || token != sleepToken) {
            return;
        }
        sleeping = false;
        Runnable next = afterSleep;
        afterSleep = null;
        next.run();
    }

    private void beLeader() {
        log.debug("channel {}: becoming a leader", channel);
        leader = true;
        setKnownLeader(Optional.of(SELF));
        scheduler.schedule(Duration.ZERO, () -> notifyLeadership(true));
    }

    private void stopBeingLeader() {
        log.debug("channel {}: stopped being a leader", channel);
        leader = false;
        setKnownLeader(Optional.empty());
        scheduler.schedule(Duration.ZERO, () -> notifyLeadership(false));
    }

    /** Marks this peer in {@link #leader()}; the caller replaces it by its node name. */
    static final String SELF = "";

    private void notifyLeadership(boolean isLeader) {
        synchronized (this) {
            if (stopped) {
                return;
            }
        }
        callback.leadershipChanged(isLeader);
    }

    private void setKnownLeader(Optional<String> next) {
        if (!next.equals(knownLeader)) {
            knownLeader = next;
            scheduler.schedule(Duration.ZERO, () -> {
                synchronized (this) {
                    if (stopped) {
                        return;
                    }
                }
                callback.leaderChanged(next);
            });
        }
    }

    /** A step on the scheduler, under this object's lock, skipped once stopped. */
    private Scheduler.Cancellable later(Duration delay, Runnable step) {
        return scheduler.schedule(delay, () -> {
            synchronized (this) {
                if (!stopped) {
                    step.run();
                }
            }
        });
    }

    private static String kind(ElectionMessage message) {
        return message.isDeclaration() ? "declaration" : "proposal";
    }

    /** Go's {@code bytes.Compare}: unsigned, lexicographic, shorter first on a common prefix. */
    static int compare(ByteString a, ByteString b) {
        return Arrays.compareUnsigned(a.toByteArray(), b.toByteArray());
    }
}
