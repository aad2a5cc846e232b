package io.fabsim.election.jgroups;

import io.fabsim.election.jgroups.Wire.Announcement;
import io.fabsim.election.jgroups.Wire.Lease;
import io.fabsim.election.jgroups.Wire.Table;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jgroups.Address;

/**
 * The coordinator's half of the election: keeps the leadership table and decides who leads what.
 * Pure logic (no I/O, time passed in as monotonic nanoseconds), so every rule is unit-tested:
 * <ul>
 *   <li>sticky: a lease whose leader is in the view and still eligible is kept;</li>
 *   <li>claims: a member claiming a channel with an epoch above every epoch this planner knows
 *       (the other side of a healed partition) takes the lease, so after a merge the most recently
 *       elected leader stays and the other stands down;</li>
 *   <li>spread: an orphaned channel goes to the eligible member leading the fewest channels, ties
 *       broken by node name, then address;</li>
 *   <li>yield: a yielder is skipped for the cooldown unless every eligible member is cooling down,
 *       in which case the one whose cooldown ends first is chosen.</li>
 * </ul>
 * Not thread-safe: the election's single event thread owns it.
 */
final class Planner {

    private final Duration yieldCooldown;
    private Map<String, Lease> leases = new TreeMap<>();
    private final Map<String, Long> epochs = new TreeMap<>();
    /** Per channel, yielders and the nanoTime their cooldown ends, in the order they yielded. */
    private final Map<String, Map<Address, Long>> cooldownUntil = new TreeMap<>();
    private long version;

    Planner(Duration yieldCooldown) {
        this.yieldCooldown = yieldCooldown;
    }

    /** Starts from a table another coordinator published (a new coordinator rebuilds from it). */
    void adopt(Table table, long nowNanos) {
        version = Math.max(version, table.version());
        leases = new TreeMap<>(table.leases());
        table.epochs().forEach((ch, e) -> epochs.merge(ch, e, Math::max));
        cooldownUntil.clear();
        table.cooldowns().forEach((ch, yielders) -> yielders.forEach((who, leftMs) ->
                cooldownUntil.computeIfAbsent(ch, c -> new LinkedHashMap<>()).put(who, nowNanos + leftMs * 1_000_000L)));
    }

    /** Records that {@code who} yielded {@code channel}; drops its lease if it still holds it. */
    void yielded(String channel, Address who, long nowNanos) {
        Map<Address, Long> yielders = cooldownUntil.computeIfAbsent(channel, c -> new LinkedHashMap<>());
        yielders.remove(who);
        yielders.put(who, nowNanos + yieldCooldown.toNanos());
        Lease lease = leases.get(channel);
        if (lease != null && lease.leader().equals(who)) {
            leases.remove(channel);
        }
    }

    /**
     * Recomputes the leases for the members of {@code view} (in view order) with their
     * announcements. Returns whether any lease changed.
     */
    boolean plan(List<Address> view, Map<Address, Announcement> announcements, long nowNanos) {
        expireCooldowns(nowNanos);
        Map<String, List<Address>> eligible = eligibleMembers(view, announcements);
        Map<String, Lease> next = new TreeMap<>();
        Map<Address, Integer> load = new HashMap<>();
        for (Map.Entry<String, List<Address>> e : eligible.entrySet()) {
            Lease kept = keepOrClaim(e.getKey(), e.getValue(), announcements);
            if (kept != null) {
                next.put(e.getKey(), kept);
                load.merge(kept.leader(), 1, Integer::sum);
            }
        }
        for (Map.Entry<String, List<Address>> e : eligible.entrySet()) {
            String channel = e.getKey();
            if (next.containsKey(channel) || e.getValue().isEmpty()) {
                continue;
            }
            Address chosen = choose(channel, e.getValue(), announcements, load, nowNanos);
            long epoch = epochs.getOrDefault(channel, 0L) + 1;
            epochs.put(channel, epoch);
            next.put(channel, new Lease(chosen, announcements.get(chosen).name(), epoch));
            load.merge(chosen, 1, Integer::sum);
        }
        boolean changed = !next.equals(leases);
        leases = next;
        return changed;
    }

    /** The table to publish; each call has a new version. */
    Table publish(long nowNanos) {
        version++;
        Map<String, Map<Address, Long>> cooldowns = new TreeMap<>();
        cooldownUntil.forEach((ch, yielders) -> {
            Map<Address, Long> left = new LinkedHashMap<>();
            yielders.forEach((who, until) -> left.put(who, Math.max(0, (until - nowNanos) / 1_000_000L)));
            cooldowns.put(ch, left);
        });
        return new Table(version, Map.copyOf(leases), Map.copyOf(epochs), cooldowns);
    }

    Map<String, Lease> leases() {
        return Map.copyOf(leases);
    }

    private Lease keepOrClaim(String channel, List<Address> candidates, Map<Address, Announcement> announcements) {
        Lease current = leases.get(channel);
        Lease best = current != null && candidates.contains(current.leader()) ? current : null;
        long known = epochs.getOrDefault(channel, 0L);
        for (Address member : candidates) {
            Long claim = announcements.get(member).claims().get(channel);
            if (claim != null && claim > known) {
                known = claim;
                best = new Lease(member, announcements.get(member).name(), claim);
            }
        }
        epochs.put(channel, known);
        return best;
    }

    private Address choose(String channel, List<Address> candidates, Map<Address, Announcement> announcements,
                           Map<Address, Integer> load, long nowNanos) {
        Map<Address, Long> cooling = cooldownUntil.getOrDefault(channel, Map.of());
        List<Address> pool = new ArrayList<>();
        for (Address member : candidates) {
            if (!cooling.containsKey(member)) {
                pool.add(member);
            }
        }
        if (pool.isEmpty()) {
            pool.add(soonestOutOfCooldown(cooling, candidates));
        }
        Comparator<Address> order = Comparator.<Address>comparingInt(a -> load.getOrDefault(a, 0))
                .thenComparing(a -> announcements.get(a).name())
                .thenComparing(Comparator.naturalOrder());
        return pool.stream().min(order).orElseThrow();
    }

    /** The candidate whose cooldown ends first; on a tie the earlier yielder (maps keep yield order). */
    private static Address soonestOutOfCooldown(Map<Address, Long> cooling, List<Address> candidates) {
        Address soonest = null;
        for (Map.Entry<Address, Long> e : cooling.entrySet()) {
            if (candidates.contains(e.getKey()) && (soonest == null || e.getValue() - cooling.get(soonest) < 0)) {
                soonest = e.getKey();
            }
        }
        return soonest;
    }

    private static Map<String, List<Address>> eligibleMembers(List<Address> view,
                                                              Map<Address, Announcement> announcements) {
        Set<String> channels = new TreeSet<>();
        for (Address member : view) {
            Announcement a = announcements.get(member);
            if (a != null) {
                channels.addAll(a.channels().keySet());
            }
        }
        Map<String, List<Address>> eligible = new TreeMap<>();
        for (String channel : channels) {
            List<Address> members = new ArrayList<>();
            for (Address member : view) {
                Announcement a = announcements.get(member);
                if (a != null && Boolean.TRUE.equals(a.channels().get(channel))) {
                    members.add(member);
                }
            }
            eligible.put(channel, members);
        }
        return eligible;
    }

    private void expireCooldowns(long nowNanos) {
        cooldownUntil.values().forEach(yielders -> yielders.values().removeIf(until -> until - nowNanos <= 0));
        cooldownUntil.values().removeIf(Map::isEmpty);
    }
}
