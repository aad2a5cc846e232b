package io.fabsim.cli.network;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The demo's terminal picture: one row per node, one column per channel, each cell the node's
 * height with {@code *} for the elected leader and {@code >} while it pulls from the orderer.
 * Rendered as plain text; the caller clears the screen between frames on a terminal.
 */
public final class LiveView {

    private LiveView() {
    }

    public static String render(StatusTable table, String title, List<String> notes) {
        List<String> channels = new ArrayList<>(table.channels().keySet());
        Map<String, Map<String, StatusTable.Row>> byNode = new LinkedHashMap<>();
        Set<String> order = new LinkedHashSet<>();
        for (String channel : channels) {
            for (StatusTable.Row r : table.channels().get(channel)) {
                order.add(r.node());
                byNode.computeIfAbsent(r.node(), k -> new LinkedHashMap<>()).put(channel, r);
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(title).append("\n\n");
        out.append(String.format("  %-14s %-10s", "node", "org"));
        for (String c : channels) {
            out.append(String.format(" %14s", c));
        }
        out.append('\n');
        for (String node : order) {
            Map<String, StatusTable.Row> rows = byNode.get(node);
            StatusTable.Row any = rows.values().iterator().next();
            out.append(String.format("  %-14s %-10s", node, "orderer".equals(any.role()) ? "(orderer)" : any.org()));
            for (String c : channels) {
                StatusTable.Row r = rows.get(c);
                String cell;
                if (r == null) {
                    cell = "";
                } else if (!r.up()) {
                    cell = "down";
                } else {
                    cell = (r.delivering() ? "> " : "  ") + r.height() + (r.leader() ? " *" : "  ");
                }
                out.append(String.format(" %14s", cell));
            }
            out.append('\n');
        }
        out.append("\n  height per channel;  * elected leader;  > pulling blocks from the orderer\n");
        for (String note : notes) {
            out.append("  ").append(note).append('\n');
        }
        return out.toString();
    }
}
