package io.fabsim.election.jgroups;

import io.fabsim.election.LeadershipListener;
import io.fabsim.election.jgroups.Wire.Lease;
import io.fabsim.election.jgroups.Wire.Table;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.jgroups.Address;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A member's own side of the election: the channels it joined, what it leads (with the epoch it was
 * given), and its listeners. Leadership only starts from a table naming this member; it stops on a
 * table that does not, on yield, on leave and on fencing. Mutated only by the election's event
 * thread; read from any thread.
 */
final class LocalLeadership {

    private static final Logger LOG = LoggerFactory.getLogger(LocalLeadership.class);

    record Joined(boolean eligible, LeadershipListener listener) {
    }

    private final String nodeName;
    private final BooleanSupplier closed;
    private final Map<String, Joined> joined = new ConcurrentHashMap<>();
    private final Map<String, Long> leading = new ConcurrentHashMap<>();
    private final Map<String, String> leaders = new ConcurrentHashMap<>();
    private final Map<String, Long> yieldedEpoch = new ConcurrentHashMap<>();
    private final Set<String> yielding = ConcurrentHashMap.newKeySet();
    private boolean fenced;

    LocalLeadership(String nodeName, BooleanSupplier closed) {
        this.nodeName = nodeName;
        this.closed = closed;
    }

    void join(String channel, boolean eligible, LeadershipListener listener) {
        joined.put(channel, new Joined(eligible, listener));
        if (!eligible) {
            stop(channel, "joined as not eligible");
        }
    }

    void leave(String channel) {
        stop(channel, "left the channel");
        joined.remove(channel);
        yieldedEpoch.remove(channel);
        leaders.remove(channel);
    }

    /** Any thread: {@code channel} is being yielded; {@link #isLeader} is false until it is done. */
    void yielding(String channel) {
        yielding.add(channel);
    }

    /** Stops leading {@code channel}; returns the epoch given up, or empty when not leader. */
    Optional<Long> yield(String channel) {
        yielding.remove(channel);
        Long epoch = leading.get(channel);
        if (epoch == null) {
            return Optional.empty();
        }
        yieldedEpoch.merge(channel, epoch, Math::max);
        stop(channel, "yielded");
        return Optional.of(epoch);
    }

    /** Stops leading everything until {@link #unfence}; used after this process was found paused. */
    void fence() {
        fenced = true;
        for (String channel : Set.copyOf(leading.keySet())) {
            stop(channel, "fenced after a pause");
        }
    }

    boolean fenced() {
        return fenced;
    }

    void unfence() {
        fenced = false;
    }

    /**
     * Applies a table from the coordinator. Returns the channels the table still gives to this member
     * although it yielded them (the yield must be sent again: the coordinator that got it is gone).
     */
    Map<String, Long> apply(Table table, Address self) {
        Map<String, Long> unacknowledgedYields = new TreeMap<>();
        for (Map.Entry<String, Joined> e : joined.entrySet()) {
            String channel = e.getKey();
            Lease lease = table.leases().get(channel);
            leaderChanged(channel, lease == null ? null : lease.leaderName());
            boolean mine = lease != null && lease.leader().equals(self) && e.getValue().eligible();
            long yielded = yieldedEpoch.getOrDefault(channel, 0L);
            if (mine && lease.epoch() <= yielded) {
                unacknowledgedYields.put(channel, lease.epoch());
                mine = false;
            }
            if (mine && !fenced) {
                start(channel, lease.epoch());
            } else {
                stop(channel, lease == null ? "no leader in the table" : "the table names " + lease.leaderName());
            }
        }
        return unacknowledgedYields;
    }

    /** The leader of a channel left the view: it is not known until the next table. */
    void leaderGone(String channel) {
        leaderChanged(channel, null);
    }

    boolean isLeader(String channel) {
        return leading.containsKey(channel) && !yielding.contains(channel);
    }

    Optional<String> leaderOf(String channel) {
        return Optional.ofNullable(leaders.get(channel));
    }

    Map<String, Joined> joined() {
        return Map.copyOf(joined);
    }

    /** What this member claims to lead, channel to epoch (announced so a merge can keep the newest). */
    Map<String, Long> claims() {
        return new TreeMap<>(leading);
    }

    private void start(String channel, long epoch) {
        Long previous = leading.put(channel, epoch);
        if (previous == null) {
            LOG.debug("{}: leader of channel {} (epoch {})", nodeName, channel, epoch);
            leaderChanged(channel, nodeName);
            notify(channel, true);
        }
    }

    private void stop(String channel, String reason) {
        if (leading.remove(channel) != null) {
            LOG.debug("{}: no longer leader of channel {}: {}", nodeName, channel, reason);
            notify(channel, false);
        }
    }

    private void leaderChanged(String channel, String leader) {
        String previous = leader == null ? leaders.remove(channel) : leaders.put(channel, leader);
        Joined j = joined.get(channel);
        if (j != null && !java.util.Objects.equals(previous, leader) && !closed.getAsBoolean()) {
            withMdc(channel, () -> j.listener().onLeaderChanged(channel, Optional.ofNullable(leader)));
        }
    }

    private void notify(String channel, boolean isLeader) {
        Joined j = joined.get(channel);
        if (j != null && !closed.getAsBoolean()) {
            withMdc(channel, () -> j.listener().onLeadershipChanged(channel, isLeader));
        }
    }

    private void withMdc(String channel, Runnable call) {
        MDC.put("channel", channel);
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.error("{}: leadership listener of channel {} failed", nodeName, channel, e);
        } finally {
            MDC.remove("channel");
        }
    }
}
