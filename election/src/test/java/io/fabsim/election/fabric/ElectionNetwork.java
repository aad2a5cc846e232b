package io.fabsim.election.fabric;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.fabsim.common.time.ManualClock;
import io.fabsim.election.FabricElectionConfig;
import io.fabsim.election.LeadershipListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * An in-memory org for Fabric's election (after Fabric's election_test.go mocks): peers named by
 * their PKI-ID, one {@link ManualClock} for all, gossip delivered at once to every peer in reach,
 * and partitions that hide peers from each other's view and drop their messages. Not thread-safe
 * beyond what the election needs: tests drive it from one thread by advancing the clock.
 */
final class ElectionNetwork implements AutoCloseable {

    static final String CHANNEL = "ch1";

    /** The timings of Fabric's election_test.go. */
    static final FabricElectionConfig CONFIG = new FabricElectionConfig(Duration.ofMillis(500), Duration.ofMillis(100),
            Duration.ofMillis(500), Duration.ofMillis(500));
    static final Duration STEP = Duration.ofMillis(50);
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    final ManualClock clock = new ManualClock();
    final AtomicInteger gossiped = new AtomicInteger();
    private final Map<String, Peer> peers = new LinkedHashMap<>();
    /** Groups of peers that reach each other; empty: everyone reaches everyone. */
    private final List<Set<String>> partitions = new ArrayList<>();

    /** One peer of the org: its election and what its listener heard. */
    final class Peer implements ElectionTransport, LeadershipListener {
        final String id;
        final FabricLeaderElection election;
        final List<Boolean> callbacks = new CopyOnWriteArrayList<>();
        private final Map<String, Adapter> adapters = new LinkedHashMap<>();

        Peer(String id) {
            this.id = id;
            this.election = new FabricLeaderElection(CONFIG, id, this, clock);
        }

        boolean isLeader() {
            return election.isLeader(CHANNEL);
        }

        /** The leadership the listener was told last (false when never told). */
        boolean leaderFromCallback() {
            return !callbacks.isEmpty() && callbacks.get(callbacks.size() - 1);
        }

        @Override
        public ByteString selfId() {
            return ByteString.copyFromUtf8(id);
        }

        @Override
        public synchronized LeaderElectionAdapter adapter(String channel) {
            Adapter adapter = new Adapter(this, channel);
            adapters.put(channel, adapter);
            return adapter;
        }

        @Override
        public List<ElectionPeer> orgPeers() {
            return view(this).stream().filter(p -> p != this).map(Peer::asElectionPeer).toList();
        }

        @Override
        public void onLeadershipChanged(String channel, boolean isLeader) {
            callbacks.add(isLeader);
        }

        ElectionPeer asElectionPeer() {
            return new ElectionPeer(selfId(), id);
        }

        synchronized Optional<Adapter> adapterOf(String channel) {
            return Optional.ofNullable(adapters.get(channel));
        }

        @Override
        public String toString() {
            return id + (isLeader() ? " (leader)" : "") + " callbacks " + callbacks;
        }
    }

    /** A channel's adapter: gossip reaches the peers in reach; the view lists them and this peer. */
    final class Adapter implements LeaderElectionAdapter {
        private final Peer owner;
        private final String channel;
        private volatile Consumer<ElectionMessage> receiver;
        private volatile boolean closed;

        Adapter(Peer owner, String channel) {
            this.owner = owner;
            this.channel = channel;
        }

        @Override
        public void gossip(ElectionMessage message) {
            gossiped.incrementAndGet();
            for (Peer other : view(owner)) {
                if (other != owner) {
                    other.adapterOf(channel).ifPresent(a -> a.deliver(message));
                }
            }
        }

        private void deliver(ElectionMessage message) {
            Consumer<ElectionMessage> r = receiver;
            if (!closed && r != null) {
                r.accept(message);
            }
        }

        @Override
        public void accept(Consumer<ElectionMessage> receiver) {
            this.receiver = receiver;
        }

        @Override
        public ElectionMessage createMessage(boolean isDeclaration) {
            ByteString sender = owner.selfId();
            return new ElectionMessage() {
                @Override
                public ByteString senderId() {
                    return sender;
                }

                @Override
                public boolean isDeclaration() {
                    return isDeclaration;
                }
            };
        }

        @Override
        public List<ElectionPeer> peers() {
            return view(owner).stream().map(Peer::asElectionPeer).toList();
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** Adds a peer and joins it to {@link #CHANNEL} as eligible. */
    Peer start(String id) {
        Peer peer = new Peer(id);
        synchronized (this) {
            peers.put(id, peer);
        }
        peer.election.start();
        peer.election.join(CHANNEL, true, peer);
        return peer;
    }

    /** Starts the peers in order, advancing the clock by {@code interval} after each. */
    List<Peer> start(Duration interval, String... ids) {
        List<Peer> started = new ArrayList<>();
        for (String id : ids) {
            started.add(start(id));
            clock.advance(interval);
        }
        return started;
    }

    /** Splits the org: each group reaches only its own members. */
    synchronized void partition(List<Set<String>> groups) {
        partitions.clear();
        partitions.addAll(groups);
    }

    /** Every peer alone: no view, no message in or out. */
    synchronized void isolateAll() {
        partition(peers.keySet().stream().map(Set::of).toList());
    }

    synchronized void heal() {
        partitions.clear();
    }

    private synchronized List<Peer> view(Peer of) {
        List<Peer> view = new ArrayList<>();
        for (Peer p : peers.values()) {
            if (partitions.isEmpty() || partitions.stream().anyMatch(g -> g.contains(of.id) && g.contains(p.id))) {
                view.add(p);
            }
        }
        return view;
    }

    /** Ids of the peers that lead the channel now. */
    static List<String> leaders(List<Peer> of) {
        return of.stream().filter(Peer::isLeader).map(p -> p.id).toList();
    }

    /** Fabric's waitForMultipleLeadersElection: advances until at least {@code n} peers lead. */
    List<String> awaitLeaders(List<Peer> of, int n) {
        awaitTrue(() -> leaders(of).size() >= n, "at least " + n + " leaders", of);
        return leaders(of);
    }

    /** Advances the clock step by step until {@code condition} holds, failing with every peer's state after TIMEOUT. */
    void awaitTrue(Supplier<Boolean> condition, String what, List<Peer> of) {
        for (Duration waited = Duration.ZERO; waited.compareTo(TIMEOUT) <= 0; waited = waited.plus(STEP)) {
            clock.runDueTasks();
            if (condition.get()) {
                return;
            }
            clock.advance(STEP);
        }
        assertThat(condition.get()).as("%s within %s; peers: %s", what, TIMEOUT, dump(of)).isTrue();
    }

    static String dump(List<Peer> of) {
        return of.stream().map(Peer::toString).collect(Collectors.joining("; "));
    }

    static Set<String> ids(List<Peer> of) {
        return new HashSet<>(of.stream().map(p -> p.id).toList());
    }

    @Override
    public synchronized void close() {
        peers.values().forEach(p -> p.election.close());
    }
}
