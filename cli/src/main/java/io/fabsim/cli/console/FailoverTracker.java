package io.fabsim.cli.console;

import io.fabsim.cli.network.StatusTable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds failovers in successive status samples: per channel and org, the one peer that delivers
 * (streams from an orderer). When another single peer delivers instead, that is a failover from the
 * old deliverer to the new one, timed from the console's last action on the old one while it
 * delivered when that action was a fault (kill, pause, partition, restart), else from the last
 * sample that saw it deliver. Precision: one sample interval.
 */
final class FailoverTracker {

    static final int KEPT = 20;

    /** {@code millis}: from the fault (or the old deliverer's last sighting) to the first sample with the new one. */
    record Failover(long atMillis, String channel, String org, String from, String to, String cause, long millis) {
    }

    private record Holder(String peer, long firstSeenMillis, long lastSeenMillis) {
    }

    private static final List<String> FAULTS = List.of("kill", "pause", "partition", "restart");

    private final Map<String, Holder> current = new HashMap<>();
    private final Deque<Failover> recent = new ArrayDeque<>();

    void observe(long atMillis, StatusTable table, ActionLog log) {
        for (Map.Entry<String, List<StatusTable.Row>> channel : table.channels().entrySet()) {
            Map<String, List<String>> deliverers = new HashMap<>();
            for (StatusTable.Row r : channel.getValue()) {
                if ("peer".equals(r.role()) && r.up() && r.delivering()) {
                    deliverers.computeIfAbsent(r.org(), k -> new ArrayList<>()).add(r.node());
                }
            }
            deliverers.forEach((org, peers) -> observe(atMillis, channel.getKey(), org, peers, log));
        }
    }

    private void observe(long atMillis, String channel, String org, List<String> peers, ActionLog log) {
        String key = channel + "/" + org;
        Holder holder = current.get(key);
        if (holder != null && peers.contains(holder.peer())) {
            current.put(key, new Holder(holder.peer(), holder.firstSeenMillis(), atMillis));
            return;
        }
        if (peers.size() != 1) {
            return; // several deliver at once (a partition, or a moment of overlap): wait until one remains
        }
        String next = peers.get(0);
        current.put(key, new Holder(next, atMillis, atMillis));
        if (holder == null) {
            return;
        }
        Optional<ActionLog.Entry> fault = log.lastOn(holder.peer(), holder.firstSeenMillis())
                .filter(e -> FAULTS.contains(e.action()));
        long from = fault.map(ActionLog.Entry::atMillis).orElse(holder.lastSeenMillis());
        add(new Failover(atMillis, channel, org, holder.peer(), next, fault.map(ActionLog.Entry::action).orElse("lost"),
                atMillis - from));
    }

    private synchronized void add(Failover failover) {
        recent.addLast(failover);
        while (recent.size() > KEPT) {
            recent.removeFirst();
        }
    }

    synchronized List<Failover> recent() {
        return new ArrayList<>(recent);
    }
}
