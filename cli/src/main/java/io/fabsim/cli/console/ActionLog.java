package io.fabsim.cli.console;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The console's own fault log: every action with its time, in order, the last {@link #KEPT}.
 * {@code atMillis} counts from the console's start, as the samples' times do.
 */
final class ActionLog {

    static final int KEPT = 200;

    /** One action: when (also as ISO-8601 wall time), what, on which node, the detail (channel, rate), the outcome. */
    record Entry(long atMillis, String wall, String action, String node, String detail, boolean ok, String outcome) {
    }

    private final Deque<Entry> entries = new ArrayDeque<>();

    synchronized void add(Entry entry) {
        entries.addLast(entry);
        while (entries.size() > KEPT) {
            entries.removeFirst();
        }
    }

    synchronized List<Entry> entries() {
        return new ArrayList<>(entries);
    }

    /** The last successful action on {@code node} at or after {@code sinceMillis}, if any. */
    synchronized Optional<Entry> lastOn(String node, long sinceMillis) {
        Entry found = null;
        for (Entry e : entries) {
            if (e.ok() && e.node().equals(node) && e.atMillis() >= sinceMillis) {
                found = e;
            }
        }
        return Optional.ofNullable(found);
    }
}
