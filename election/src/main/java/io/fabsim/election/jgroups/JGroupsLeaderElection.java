package io.fabsim.election.jgroups;

import io.fabsim.common.time.Clock;
import io.fabsim.election.ElectionConfig;
import io.fabsim.election.ElectionException;
import io.fabsim.election.ElectionIdentity;
import io.fabsim.election.ElectionMember;
import io.fabsim.election.LeaderElection;
import io.fabsim.election.LeadershipListener;
import io.fabsim.election.jgroups.Wire.Announcement;
import io.fabsim.election.jgroups.Wire.Check;
import io.fabsim.election.jgroups.Wire.Confirm;
import io.fabsim.election.jgroups.Wire.Lease;
import io.fabsim.election.jgroups.Wire.Table;
import io.fabsim.election.jgroups.Wire.Yield;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.MergeView;
import org.jgroups.Message;
import org.jgroups.Receiver;
import org.jgroups.View;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election per channel among the peers of one organization, on one JGroups cluster per org.
 *
 * <p>The algorithm. Every member joins the cluster {@code <prefix><mspId>} and multicasts an
 * announcement: its node name, free-form metadata (gossip endpoint), the channels it joined with
 * whether it is eligible for each, and the channels it currently leads with their epochs (its
 * claims). It re-announces on every view change and whenever its channels change. The view's
 * coordinator (JGroups' oldest member) alone decides: it keeps a leadership table, channel to
 * (leader, epoch), and multicasts it whenever it changes and after every view change. A lease whose
 * leader is still in the view stays (sticky: joins and follower departures move nothing); an
 * orphaned channel (leader crashed, left, yielded, or never had one) goes to the eligible member
 * leading the fewest channels (spread), ties broken by node name, with a new epoch one above every
 * epoch seen for that channel. A yielder is skipped for {@code yieldCooldown} unless every eligible
 * member is cooling down. Members lead exactly what the latest table from their coordinator gives
 * them and stop at once on a table that does not (fencing); yield stops locally before the
 * coordinator even hears of it.
 *
 * <p>Failover is as fast as JGroups' failure detection: a crashed member's TCP connections close,
 * VERIFY_SUSPECT2 confirms within ~100 ms, GMS installs a view without it, and the coordinator (or,
 * if the coordinator died, the next oldest member, which rebuilds from the last table it saw plus the
 * claims in the announcements) publishes the new table. A hung member is removed by FD_ALL3.
 *
 * <p>Partitions: each side has its own coordinator and so elects its own leaders (availability over
 * uniqueness, as Fabric: duplicate blocks are harmless, missing ones are not). When MERGE3 heals the
 * partition, the merged view's coordinator waits up to {@code leaderElectionDuration} for every
 * member's announcement, keeps for each channel the claim with the highest epoch (the most recent
 * election; on a tie, its own side's), and publishes; the losers stop delivering on that table.
 *
 * <p>A fresh cluster's coordinator makes its first assignment once neither the membership nor the
 * announced channels changed for {@code membershipSampleInterval} (at most
 * {@code startupGracePeriod}), so peers that start together share the channels. A member that finds it was frozen for more than
 * {@code leaderAliveThreshold} (SIGSTOP, long GC) stops delivering at once and leads again only
 * when a newer table confirms it.
 *
 * <p>Every state change runs on one event thread per member; listeners are called on it.
 */
public final class JGroupsLeaderElection implements LeaderElection {

    private static final Logger LOG = LoggerFactory.getLogger(JGroupsLeaderElection.class);

    private final JChannel channel;
    private final ElectionConfig config;
    private final ElectionIdentity identity;
    private final Clock clock;
    private final EventLoop loop;
    private final LocalLeadership local;
    private final Map<Address, Announcement> announcements = new ConcurrentHashMap<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile View view;
    private volatile Address self;
    private volatile Table lastTable;
    private CoordinatorRole coordinator;
    private PauseFence fence;
    private long viewGeneration;
    private EarlyTable early;
    private long checks;
    private long pendingCheck;

    private record EarlyTable(Address from, Table table) {
    }

    private JGroupsLeaderElection(JChannel channel, ElectionConfig config, ElectionIdentity identity, Clock clock) {
        this.channel = channel;
        this.config = config;
        this.identity = identity;
        this.clock = clock;
        this.loop = new EventLoop(identity.nodeName(), clock);
        this.local = new LocalLeadership(identity.nodeName(), loop::closed);
    }

    /** An election on the stack {@code config.jgroups()} names (the bundled TCP stack by default). */
    public static JGroupsLeaderElection create(ElectionConfig config, ElectionIdentity identity, Clock clock) {
        return over(JGroupsStack.channel(config.jgroups(), identity), config, identity, clock);
    }

    /** An election over a channel the caller built (tests inject in-JVM stacks); it owns the channel. */
    public static JGroupsLeaderElection over(JChannel channel, ElectionConfig config, ElectionIdentity identity,
                                             Clock clock) {
        return new JGroupsLeaderElection(channel, config, identity, clock);
    }

    @Override
    public void start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("node " + identity.nodeName() + ": election already started");
        }
        String cluster = config.clusterName(identity.mspId());
        channel.name(identity.nodeName());
        channel.setReceiver(new Receiver() {
            @Override
            public void receive(Message msg) {
                onMessage(msg);
            }

            @Override
            public void viewAccepted(View v) {
                loop.submit(() -> onView(v));
            }
        });
        try {
            channel.connect(cluster);
        } catch (Exception e) {
            channel.close();
            loop.close();
            throw new ElectionException("org " + identity.mspId() + ", node " + identity.nodeName()
                    + ": cannot join JGroups cluster " + cluster + ": " + e.getMessage(), e);
        }
        self = channel.address();
        LOG.info("{}: joined election cluster {} as {}", identity.nodeName(), cluster, self);
        PauseFence.Timing timing = PauseFence.Timing.of(channel.getProtocolStack(), config.leaderElectionDuration());
        loop.await(() -> {
            fence = new PauseFence(timing);
            announce();
        });
        long period = Math.max(25, config.leaderAliveThreshold().toMillis() / 4);
        PauseDetector detector = new PauseDetector(clock, config.leaderAliveThreshold(),
                pausedMillis -> loop.submit(() -> onPause(pausedMillis)));
        loop.watch(detector::tick, period);
    }

    @Override
    public void join(String ch, boolean eligible, LeadershipListener listener) {
        loop.await(() -> {
            local.join(ch, eligible, listener);
            if (lastTable != null) {
                applyTable(lastTable);
            }
            announce();
            selfAnnounced();
        });
    }

    @Override
    public void leave(String ch) {
        if (loop.closed()) {
            return;
        }
        loop.await(() -> {
            local.leave(ch);
            announce();
            selfAnnounced();
        });
    }

    @Override
    public void yield(String ch) {
        if (loop.closed()) {
            return;
        }
        // not awaited: the caller is typically the deliver client giving up, and the listener's
        // stop may wait for that very thread; isLeader is false from here on all the same
        local.yielding(ch);
        loop.submit(() -> local.yield(ch).ifPresent(epoch -> sendYield(ch, epoch)));
    }

    @Override
    public boolean isLeader(String ch) {
        return !loop.closed() && local.isLeader(ch);
    }

    @Override
    public Optional<String> leaderOf(String ch) {
        return local.leaderOf(ch);
    }

    @Override
    public String nodeName() {
        return identity.nodeName();
    }

    @Override
    public List<ElectionMember> members() {
        View v = view;
        List<ElectionMember> result = new ArrayList<>();
        if (v == null) {
            return result;
        }
        for (Address member : v.getMembers()) {
            Announcement a = announcements.get(member);
            if (a != null) {
                TreeSet<String> eligible = new TreeSet<>();
                a.channels().forEach((ch, e) -> {
                    if (e) {
                        eligible.add(ch);
                    }
                });
                result.add(new ElectionMember(a.name(), a.metadata(), a.channels().keySet(), eligible));
            }
        }
        return result;
    }

    /** The last leadership table this member saw, channel to leader name (diagnostics, tests). */
    public Map<String, String> table() {
        Table t = lastTable;
        Map<String, String> result = new TreeMap<>();
        if (t != null) {
            t.leases().forEach((ch, lease) -> result.put(ch, lease.leaderName() + "@" + lease.epoch()));
        }
        return result;
    }

    /** The JGroups channel (tests insert protocols such as DISCARD into its stack). */
    public JChannel jgroupsChannel() {
        return channel;
    }

    @Override
    public void close() {
        if (loop.closed()) {
            return;
        }
        loop.close();
        channel.close();
        LOG.info("{}: left election cluster", identity.nodeName());
    }

    @Override
    public String toString() {
        return identity.nodeName();
    }

    @Override
    public Optional<String> viewId() {
        View v = view;
        return v == null ? Optional.empty() : Optional.of(v.getViewId().toString());
    }

    // ---- event thread ----

    private void onMessage(Message msg) {
        Object decoded;
        try {
            decoded = Wire.decode(msg.getArray(), msg.getOffset(), msg.getLength());
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: dropped an unreadable election message from {}: {}", identity.nodeName(), msg.getSrc(),
                    e.getMessage());
            return;
        }
        Address from = msg.getSrc();
        loop.submit(() -> {
            if (decoded instanceof Announcement a) {
                onAnnouncement(from, a);
            } else if (decoded instanceof Table t) {
                onTable(from, t);
            } else if (decoded instanceof Yield y) {
                onYield(from, y);
            } else if (decoded instanceof Check c) {
                onCheck(from, c);
            } else if (decoded instanceof Confirm c) {
                onConfirm(from, c);
            } else if (coordinator != null) {
                coordinator.republish();
            }
        });
    }

    private void onView(View v) {
        View old = view;
        view = v;
        if (self == null) {
            self = channel.address();
        }
        viewGeneration++;
        List<Address> left = old == null ? List.of() : View.leftMembers(old, v);
        left.forEach(announcements::remove);
        if (left.isEmpty()) {
            LOG.debug("{}: view {}", identity.nodeName(), v);
        } else {
            LOG.info("{}: {} left the view; view {}", identity.nodeName(), left, v);
        }
        if (lastTable != null) {
            for (Map.Entry<String, Lease> e : lastTable.leases().entrySet()) {
                if (!v.containsMember(e.getValue().leader())) {
                    local.leaderGone(e.getKey());
                }
            }
        }
        if (fence != null) {
            fence.viewInstalled(v instanceof MergeView);
        }
        boolean coord = v.getCoord().equals(self);
        if (!coord && coordinator != null) {
            coordinator.deactivate();
            coordinator = null;
        } else if (coord && coordinator == null) {
            boolean fresh = old == null && lastTable == null;
            coordinator = new CoordinatorRole(this, config, fresh, lastTable);
        }
        announce();
        if (coordinator != null) {
            coordinator.viewChanged(v, v instanceof MergeView);
        } else if (early != null && early.from().equals(v.getCoord())
                && (lastTable == null || early.table().version() > lastTable.version())) {
            onTable(early.from(), early.table());
        }
        early = null;
    }

    private void onAnnouncement(Address from, Announcement a) {
        if (from.equals(self)) {
            // our own multicast coming back; announce() stored it already, and a late copy of an
            // older announcement must not overwrite a newer one
            return;
        }
        View v = view;
        announcements.put(from, a);
        if (v == null || !v.containsMember(from)) {
            return;
        }
        if (coordinator != null) {
            coordinator.announced(v);
        }
    }

    private void onTable(Address from, Table t) {
        View v = view;
        if (v == null || !from.equals(v.getCoord())) {
            // views and messages reach the event thread on different JGroups threads: a new
            // coordinator's first table can arrive before the view that makes it coordinator
            LOG.debug("{}: kept aside a table from {}, not the coordinator of {}", identity.nodeName(), from, v);
            early = new EarlyTable(from, t);
            return;
        }
        lastTable = t;
        if (local.fenced() && fence.liftedBy(t.version())) {
            LOG.info("{}: leadership confirmed by table {} after a pause", identity.nodeName(), t.version());
            local.unfence();
        } else if (local.fenced() && fence.awaitingMerge()) {
            LOG.debug("{}: table {} from {} does not lift the fence: awaiting a merge", identity.nodeName(),
                    t.version(), from);
        }
        applyTable(t);
    }

    private void applyTable(Table t) {
        Map<String, Long> unacknowledged = local.apply(t, self);
        unacknowledged.forEach(this::sendYield);
    }

    private void onYield(Address from, Yield y) {
        if (coordinator != null) {
            coordinator.yielded(from, y);
        }
    }

    /** A member that was frozen asks whether we still count it: answer only if it is in our view. */
    private void onCheck(Address from, Check c) {
        View v = view;
        if (v != null && !from.equals(self) && v.containsMember(from)) {
            send(from, Wire.encode(new Confirm(c.nonce(), v.getViewId().toString())));
        }
    }

    /**
     * A member of our view counts us in the same view after our pause: we were not excluded, so the
     * fence waits for the coordinator's next table only (asked for at once), not for a merge.
     */
    private void onConfirm(Address from, Confirm c) {
        View v = view;
        if (!local.fenced() || !fence.awaitingMerge() || c.nonce() != pendingCheck || v == null
                || !v.containsMember(from) || !c.viewId().equals(v.getViewId().toString())) {
            return;
        }
        LOG.info("{}: {} still counts this member in view {} after the pause: not excluded, no merge to wait for",
                identity.nodeName(), from, c.viewId());
        fence.confirmedInView();
        if (coordinator != null) {
            coordinator.republish();
        } else {
            send(v.getCoord(), Wire.resync());
        }
    }

    private void onPause(long pausedMillis) {
        if (local.fenced()) {
            return;
        }
        LOG.warn("{}: this process was frozen for {} ms; standing down until the cluster confirms leadership",
                identity.nodeName(), pausedMillis);
        boolean awaitMerge = fence.fence(pausedMillis, lastTable == null ? 0 : lastTable.version(),
                view == null || view.size() <= 1);
        local.fence();
        if (awaitMerge) {
            // the others have likely formed a view without us; nothing our stale view decides counts
            LOG.info("{}: frozen long enough to be excluded; leading again only after a merge with the others, or "
                    + "as a partition if none comes within {}", identity.nodeName(), fence.mergeWindow());
            long which = fence.fences();
            loop.schedule(() -> mergeWindowOver(which), fence.mergeWindow().toMillis());
            pendingCheck = ++checks;
            send(null, Wire.encode(new Check(pendingCheck)));
        } else if (coordinator != null) {
            long generation = viewGeneration;
            loop.schedule(() -> {
                if (viewGeneration == generation && coordinator != null) {
                    coordinator.republish();
                }
            }, config.leaderAliveThreshold().toMillis() * 4);
        } else {
            send(view == null ? null : view.getCoord(), Wire.resync());
        }
    }

    private void mergeWindowOver(long which) {
        if (!local.fenced() || !fence.mergeWindowOver(which)) {
            return;
        }
        LOG.info("{}: no merge within {} after a pause; a partition, so the next table decides",
                identity.nodeName(), fence.mergeWindow());
        if (coordinator != null) {
            coordinator.republish();
        } else {
            send(view == null ? null : view.getCoord(), Wire.resync());
        }
    }

    private void announce() {
        if (self == null) {
            return;
        }
        Map<String, Boolean> channels = new TreeMap<>();
        local.joined().forEach((ch, j) -> channels.put(ch, j.eligible()));
        View v = view;
        Announcement a = new Announcement(identity.nodeName(), identity.metadata(), channels, local.claims(),
                v == null ? 0 : v.getViewId().getId());
        announcements.put(self, a);
        send(null, Wire.encode(a));
    }

    /** After this member's channels changed: the coordinator (if it is us) plans with them. */
    private void selfAnnounced() {
        View v = view;
        if (coordinator != null && v != null) {
            coordinator.announced(v);
        }
    }

    private void sendYield(String ch, long epoch) {
        View v = view;
        if (v != null) {
            send(v.getCoord(), Wire.encode(new Yield(ch, epoch)));
        }
    }

    // ---- used by CoordinatorRole (event thread) ----

    Address self() {
        return self;
    }

    Map<Address, Announcement> announcements() {
        return announcements;
    }

    long nanoTime() {
        return clock.nanoTime();
    }

    void schedule(Runnable task, long millis) {
        loop.schedule(task, millis);
    }

    void multicast(Table t) {
        send(null, Wire.encode(t));
    }

    private void send(Address to, byte[] payload) {
        if (loop.closed()) {
            return;
        }
        try {
            channel.send(new BytesMessage(to, payload));
        } catch (Exception e) {
            LOG.warn("{}: cannot send election message to {}: {}", identity.nodeName(), to == null ? "all" : to,
                    e.toString());
        }
    }
}
