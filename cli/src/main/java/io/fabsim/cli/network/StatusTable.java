package io.fabsim.cli.network;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One snapshot of a network's {@code /status} documents, rendered as a table per channel: every
 * process's height, current hash prefix, mode, leader and delivering marks.
 */
public final class StatusTable {

    /** One process's view of one channel; {@code streamingFrom} is "" when no Deliver stream is open. */
    public record Row(String node, String org, String role, boolean up, long height, String hash, String mode,
                      boolean leader, boolean delivering, String leaderId, String streamingFrom) {
    }

    private final Map<String, List<Row>> byChannel = new LinkedHashMap<>();
    private final Map<String, String> electionViews = new LinkedHashMap<>();

    public static StatusTable collect(NetworkState state, StatusClient client) {
        StatusTable table = new StatusTable();
        for (String channel : state.channels()) {
            table.byChannel.put(channel, new ArrayList<>());
        }
        for (NetworkState.Node node : state.processes()) {
            Optional<JsonNode> status = client.status(node.operationsAddress());
            status.map(s -> s.path("electionView")).filter(v -> v.hasNonNull("id")).ifPresent(v -> {
                List<String> members = new ArrayList<>();
                v.path("members").forEach(m -> members.add(m.asText()));
                members.sort(null);
                table.electionViews.put(node.name(), v.path("id").asText() + " " + members);
            });
            for (String channel : state.channels()) {
                if (!node.channels().contains(channel)) {
                    continue;
                }
                Optional<JsonNode> ch = status.flatMap(s -> channelOf(s, channel));
                table.byChannel.get(channel).add(ch
                        .map(c -> new Row(node.name(), node.org(), node.role(), true, c.path("height").asLong(),
                                c.path("currentBlockHash").asText(""), c.path("mode").asText(node.mode()),
                                c.path("leader").asBoolean(false), c.path("delivering").asBoolean(false),
                                text(c, "leaderId"), text(c, "streamingFrom")))
                        .orElse(new Row(node.name(), node.org(), node.role(), false, -1, "", node.mode(), false, false, "",
                                "")));
            }
        }
        return table;
    }

    private static String text(JsonNode channel, String field) {
        return channel.path(field).isNull() ? "" : channel.path(field).asText("");
    }

    private static Optional<JsonNode> channelOf(JsonNode status, String channel) {
        for (JsonNode c : status.path("channels")) {
            if (channel.equals(c.path("channel").asText())) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** Per node that answered with an election view (JGroups): its view id and sorted members. */
    public Map<String, String> electionViews() {
        return electionViews;
    }

    public Map<String, List<Row>> channels() {
        return byChannel;
    }

    public String render() {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, List<Row>> e : byChannel.entrySet()) {
            out.append("channel ").append(e.getKey()).append('\n');
            out.append(String.format("  %-18s %-10s %-9s %8s  %-12s %-4s %-4s %s%n", "NODE", "ORG", "MODE", "HEIGHT",
                    "HASH", "LEAD", "DLVR", "STREAM"));
            for (Row r : e.getValue()) {
                String height = r.up() ? Long.toString(r.height()) : "down";
                String hash = r.hash().length() > 12 ? r.hash().substring(0, 12) : r.hash();
                out.append(String.format("  %-18s %-10s %-9s %8s  %-12s %-4s %-4s %s%n", r.node(), r.org(),
                        "orderer".equals(r.role()) ? "orderer" : r.mode(), height, hash, r.leader() ? "*" : "",
                        r.delivering() ? ">>" : "", r.streamingFrom()));
            }
        }
        return out.toString();
    }
}
