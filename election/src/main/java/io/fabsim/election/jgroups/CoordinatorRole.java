package io.fabsim.election.jgroups;

import io.fabsim.election.ElectionConfig;
import io.fabsim.election.jgroups.Wire.Announcement;
import io.fabsim.election.jgroups.Wire.Lease;
import io.fabsim.election.jgroups.Wire.Table;
import io.fabsim.election.jgroups.Wire.Yield;
import java.util.Map;
import java.util.Objects;
import org.jgroups.Address;
import org.jgroups.View;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the view's coordinator does on top of being a member: holds the {@link Planner}, decides when
 * planning may happen (not before a fresh cluster's membership is stable, not while a merge is being
 * resolved) and multicasts the table. Lives only while this member is the coordinator; runs on the
 * election's event thread.
 */
final class CoordinatorRole {

    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorRole.class);

    private final JGroupsLeaderElection election;
    private final ElectionConfig config;
    private final Planner planner;
    private boolean active = true;
    private boolean ready;
    private boolean mergePending;
    private long generation;
    private long quiet;
    private View view;

    CoordinatorRole(JGroupsLeaderElection election, ElectionConfig config, boolean freshCluster, Table lastTable) {
        this.election = election;
        this.config = config;
        this.planner = new Planner(config.yieldCooldown());
        if (lastTable != null) {
            planner.adopt(lastTable, election.nanoTime());
        }
        this.ready = !freshCluster || config.startupGracePeriod().isZero();
        if (!ready) {
            election.schedule(() -> becomeReady("startup grace period over", 0, true),
                    config.startupGracePeriod().toMillis());
        }
        LOG.info("{}: coordinator of the election cluster{}", election,
                lastTable == null ? "" : ", continuing from table " + lastTable.version());
    }

    void viewChanged(View v, boolean merge) {
        view = v;
        long gen = ++generation;
        if (!ready) {
            waitForQuiet();
            return;
        }
        if (merge) {
            mergePending = true;
            LOG.info("{}: partition healed ({}); resolving leaders within {}", election, v,
                    config.leaderElectionDuration());
            election.schedule(() -> resolveMerge(gen), config.leaderElectionDuration().toMillis());
            return;
        }
        replan(true);
    }

    void announced(View v) {
        view = v;
        if (!ready) {
            waitForQuiet();
            return;
        }
        if (mergePending) {
            long viewId = v.getViewId().getId();
            Map<Address, Announcement> announcements = election.announcements();
            boolean all = v.getMembers().stream().allMatch(m ->
                    announcements.containsKey(m) && announcements.get(m).viewId() == viewId);
            if (all) {
                resolveMerge(generation);
            }
            return;
        }
        replan(false);
    }

    void yielded(Address from, Yield y) {
        Lease lease = planner.leases().get(y.channel());
        if (lease == null || !lease.leader().equals(from) || lease.epoch() != y.epoch()) {
            LOG.debug("{}: ignored a stale yield of {} from {} (epoch {}, table has {})", election, y.channel(), from,
                    y.epoch(), lease);
            return;
        }
        LOG.info("{}: {} yielded channel {}", election, lease.leaderName(), y.channel());
        planner.yielded(y.channel(), from, election.nanoTime());
        replan(false);
    }

    /** Publishes the table again with a new version (a member asks after a pause). */
    void republish() {
        replan(true);
    }

    /**
     * A fresh cluster assigns once neither the membership nor the announcements (channels joined)
     * changed for a sample interval, so that peers starting together share the channels.
     */
    private void waitForQuiet() {
        long q = ++quiet;
        election.schedule(() -> becomeReady("membership and channels stable", q, false),
                config.membershipSampleInterval().toMillis());
    }

    private void becomeReady(String why, long q, boolean deadline) {
        if (ready || (!deadline && q != quiet)) {
            return;
        }
        ready = true;
        LOG.info("{}: first assignment ({})", election, why);
        replan(true);
    }

    private void resolveMerge(long gen) {
        if (!mergePending || gen != generation) {
            return;
        }
        mergePending = false;
        replan(true);
    }

    /** This member is no longer the coordinator: timers still pending must not publish. */
    void deactivate() {
        active = false;
    }

    private void replan(boolean force) {
        if (!active || !ready || mergePending || view == null) {
            return;
        }
        Map<String, Lease> before = planner.leases();
        boolean changed = planner.plan(view.getMembers(), election.announcements(), election.nanoTime());
        if (changed || force) {
            Table table = planner.publish(election.nanoTime());
            logChanges(before, table.leases());
            election.multicast(table);
        }
    }

    private void logChanges(Map<String, Lease> before, Map<String, Lease> after) {
        after.forEach((ch, lease) -> {
            if (!Objects.equals(before.get(ch), lease)) {
                LOG.info("{}: channel {} assigned to {} (epoch {})", election, ch, lease.leaderName(), lease.epoch());
            }
        });
        before.keySet().stream().filter(ch -> !after.containsKey(ch))
                .forEach(ch -> LOG.info("{}: channel {} has no eligible member", election, ch));
    }
}
