package io.fabsim.cli.console;

import io.fabsim.cli.network.NetworkState;
import io.fabsim.cli.network.StatusTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the page shows, as one JSON document per sample: per channel the orgs' peers with heights,
 * how far each is behind the orderer, the leader and the streaming peer; the orderers with their
 * channels' cutting state and load; every node's actions (enabled or not, and why); the fault log
 * and the last failovers. {@code point} is the sample in short, for the page's rolling timeline.
 */
final class Snapshots {

    /** An orderer as its admin API shows it: load source, and per channel active, paused or errored. */
    record OrdererView(boolean answered, boolean loadEnabled, int rate, long submitted, Map<String, String> cutting) {

        static OrdererView unreachable() {
            return new OrdererView(false, false, 0, 0, Map.of());
        }
    }

    private Snapshots() {
    }

    static Map<String, Object> build(long atMillis, NetworkState state, StatusTable table, Map<String, OrdererView> orderers,
                                     List<ActionLog.Entry> log, List<FailoverTracker.Failover> failovers) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("t", atMillis);
        doc.put("dir", state.dir());
        doc.put("netns", state.netns() != null);
        List<Object> channels = new ArrayList<>();
        Map<String, Object> leaders = new LinkedHashMap<>();
        Map<String, Object> heights = new LinkedHashMap<>();
        Map<String, String> ordererNames = new LinkedHashMap<>();
        state.orderers().forEach(o -> ordererNames.put(o.grpcAddress(), o.name()));
        table.channels().forEach((channel, rows) -> {
            channels.add(channel(channel, rows, leaders, ordererNames));
            Map<String, Long> h = new LinkedHashMap<>();
            rows.forEach(r -> h.put(r.node(), r.up() ? r.height() : -1));
            heights.put(channel, h);
        });
        doc.put("channels", channels);
        doc.put("orderers", state.orderers().stream().map(o -> orderer(o, table, orderers)).toList());
        doc.put("nodes", state.processes().stream().map(n -> node(n, state, orderers)).toList());
        doc.put("events", log.subList(Math.max(0, log.size() - 50), log.size()));
        doc.put("failovers", failovers);
        doc.put("point", Map.of("t", atMillis, "leaders", leaders, "heights", heights));
        return doc;
    }

    /** {@code ordererNames}: gRPC address to orderer name, to say which orderer a peer streams from. */
    private static Map<String, Object> channel(String channel, List<StatusTable.Row> rows, Map<String, Object> leaders,
                                               Map<String, String> ordererNames) {
        long top = rows.stream().filter(r -> r.up() && "orderer".equals(r.role())).mapToLong(StatusTable.Row::height).max()
                .orElse(rows.stream().filter(StatusTable.Row::up).mapToLong(StatusTable.Row::height).max().orElse(0));
        Map<String, List<Map<String, Object>>> byOrg = new LinkedHashMap<>();
        for (StatusTable.Row r : rows) {
            if (!"peer".equals(r.role())) {
                continue;
            }
            Map<String, Object> peer = new LinkedHashMap<>();
            peer.put("name", r.node());
            peer.put("up", r.up());
            peer.put("mode", r.mode());
            peer.put("height", r.up() ? r.height() : null);
            peer.put("behind", r.up() ? Math.max(0, top - r.height()) : null);
            peer.put("leader", r.up() && r.leader());
            peer.put("delivering", r.up() && r.delivering());
            peer.put("streamingFrom", ordererNames.getOrDefault(r.streamingFrom(), r.streamingFrom()));
            byOrg.computeIfAbsent(r.org(), k -> new ArrayList<>()).add(peer);
        }
        List<Object> orgs = new ArrayList<>();
        byOrg.forEach((org, peers) -> {
            String leader = peers.stream().filter(p -> (Boolean) p.get("leader")).map(p -> (String) p.get("name"))
                    .findFirst().orElse(null);
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("name", org);
            o.put("leader", leader);
            o.put("peers", peers);
            orgs.add(o);
            leaders.put(channel + "/" + org, leader == null ? "" : leader);
        });
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", channel);
        c.put("ordererHeight", top);
        c.put("orgs", orgs);
        return c;
    }

    private static Map<String, Object> orderer(NetworkState.Node node, StatusTable table, Map<String, OrdererView> orderers) {
        OrdererView view = orderers.getOrDefault(node.name(), OrdererView.unreachable());
        List<Object> channels = new ArrayList<>();
        table.channels().forEach((channel, rows) -> rows.stream().filter(r -> r.node().equals(node.name())).findFirst()
                .ifPresent(r -> channels.add(Map.of("name", channel, "height", r.up() ? r.height() : -1,
                        "cutting", view.cutting().getOrDefault(channel, "unknown")))));
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("name", node.name());
        o.put("up", view.answered());
        o.put("channels", channels);
        o.put("load", view.loadEnabled() ? Map.of("rate", view.rate(), "submitted", view.submitted()) : null);
        return o;
    }

    private static Map<String, Object> node(NetworkState.Node node, NetworkState state, Map<String, OrdererView> orderers) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("name", node.name());
        n.put("role", node.role());
        n.put("org", node.org());
        // network.json lists fabsim processes only today; a node of another implementation (a real
        // Fabric peer) will say so here, and the page shows it with the actions it allows.
        n.put("implementation", "fabsim");
        n.put("running", node.pid() > 0);
        n.put("channels", node.channels());
        boolean load = orderers.getOrDefault(node.name(), OrdererView.unreachable()).loadEnabled();
        n.put("actions", ConsoleActions.availability(node, state, load));
        return n;
    }
}
