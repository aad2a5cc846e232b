package io.fabsim.cli.chaos;

import io.fabsim.cli.network.StatusTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The leadership invariant of a chaos run, fed one status sample at a time: at most one peer per
 * org and channel streams blocks from an orderer ({@code streamingFrom} set) once the org's view
 * has been stable for {@code window}. An org is unstable while a fault hits one of its peers, for
 * {@code window} after the fault is undone, and for {@code window} after the set of its peers that
 * answer changes (a restarted peer joining); a partition is such a fault, so its window is excluded.
 * An org whose answering peers report different election views (JGroups) is unstable too, and for
 * {@code window} after the last sample that saw them differ: a merge still under way is not a stable view.
 * Episodes with two streaming peers in a stable view become violations; those in an unstable view
 * are measured (the split brain that a hang or a partition causes by design) and reported apart.
 * Thread-safe: the nemesis reports faults while the monitor feeds samples.
 */
public final class LeaderCheck {

    /** One episode of two or more peers of an org streaming one channel. */
    public record Episode(String channel, String org, long startMillis, long endMillis, Set<String> peers, boolean stable) {
        public long millis() {
            return endMillis - startMillis;
        }
    }

    private final long windowMillis;
    private final Map<String, Integer> activeFaults = new HashMap<>();
    private final Map<String, Long> disturbedAt = new HashMap<>();
    private final Map<String, Set<String>> answering = new HashMap<>();
    private final Map<String, Episode> open = new HashMap<>();
    private final List<Episode> closed = new ArrayList<>();

    public LeaderCheck(long windowMillis) {
        this.windowMillis = windowMillis;
    }

    /** Something changed {@code org}'s view at {@code atMillis} (e.g. the network was just started). */
    public synchronized void disturbed(String org, long atMillis) {
        disturbedAt.merge(org, atMillis, Math::max);
    }

    /** A fault starts hitting a peer of {@code org}. */
    public synchronized void faultStarted(String org, long atMillis) {
        activeFaults.merge(org, 1, Integer::sum);
        disturbedAt.merge(org, atMillis, Math::max);
    }

    /** A fault on a peer of {@code org} was undone (resumed, healed, restarted). */
    public synchronized void faultEnded(String org, long atMillis) {
        activeFaults.merge(org, -1, Integer::sum);
        disturbedAt.merge(org, atMillis, Math::max);
    }

    /** True when {@code org} had no fault and no change of its answering peers for the window before {@code atMillis}. */
    public synchronized boolean stable(String org, long atMillis) {
        return activeFaults.getOrDefault(org, 0) <= 0
                && atMillis - disturbedAt.getOrDefault(org, Long.MIN_VALUE / 2) >= windowMillis;
    }

    /**
     * Checks one sample whose reading started at {@code atMillis}. A slow sample (a paused node
     * answers only after the timeout) may be observed after a later fault was reported: a
     * disturbance never moves back in time.
     */
    public synchronized void observe(long atMillis, StatusTable table) {
        Map<String, Set<String>> up = new HashMap<>();
        Map<String, Set<String>> streaming = new HashMap<>();
        for (Map.Entry<String, List<StatusTable.Row>> e : table.channels().entrySet()) {
            for (StatusTable.Row r : e.getValue()) {
                if (!"peer".equals(r.role())) {
                    continue;
                }
                if (r.up()) {
                    up.computeIfAbsent(r.org(), k -> new TreeSet<>()).add(r.node());
                }
                if (r.up() && !r.streamingFrom().isEmpty()) {
                    streaming.computeIfAbsent(e.getKey() + "|" + r.org(), k -> new TreeSet<>()).add(r.node());
                }
            }
        }
        for (Map.Entry<String, Set<String>> e : up.entrySet()) {
            Set<String> before = answering.put(e.getKey(), e.getValue());
            if (before != null && !before.equals(e.getValue())) {
                disturbedAt.merge(e.getKey(), atMillis, Math::max);
            }
            Set<String> views = new HashSet<>();
            e.getValue().forEach(node -> {
                String view = table.electionViews().get(node);
                if (view != null) {
                    views.add(view);
                }
            });
            if (views.size() > 1) {
                disturbedAt.merge(e.getKey(), atMillis, Math::max);
            }
        }
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, Set<String>> e : streaming.entrySet()) {
            if (e.getValue().size() < 2) {
                continue;
            }
            String[] key = e.getKey().split("\\|", 2);
            boolean stable = stable(key[1], atMillis);
            String id = e.getKey() + "|" + stable;
            seen.add(id);
            Episode before = open.get(id);
            Set<String> peers = new TreeSet<>(e.getValue());
            if (before != null) {
                peers.addAll(before.peers());
            }
            open.put(id, new Episode(key[0], key[1], before == null ? atMillis : before.startMillis(), atMillis, peers, stable));
        }
        for (String id : List.copyOf(open.keySet())) {
            if (!seen.contains(id)) {
                closed.add(open.remove(id));
            }
        }
    }

    /** Closes every open episode (the run or epoch ends) and returns every episode so far. */
    public synchronized List<Episode> finish() {
        closed.addAll(open.values());
        open.clear();
        return List.copyOf(closed);
    }
}
