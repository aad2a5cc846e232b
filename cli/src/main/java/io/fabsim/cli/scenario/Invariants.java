package io.fabsim.cli.scenario;

import io.fabsim.cli.network.NetworkSpec;
import io.fabsim.cli.network.NetworkState;
import io.fabsim.cli.network.StatusTable;
import io.fabsim.common.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The checks every scenario ends with. After the faults: block cutting is paused on the ordering
 * orderer, and within a bound every live peer must reach the orderer's height with the same current
 * block hash on every channel; at most one peer per org and channel delivers; after the network is
 * down (block cutting still paused), every ledger on disk verifies block by block with no gap and
 * all have the same height and last block hash.
 */
public final class Invariants {

    private Invariants() {
    }

    /**
     * Pauses block cutting on the ordering orderer for good (the network is torn down next, and the
     * ledgers on disk must then agree), and waits until every live node has its height and current
     * block hash on every channel; returns the blocks compared.
     */
    public static long awaitConvergence(ScenarioContext ctx, Duration bound) throws Exception {
        NetworkState state = ctx.state();
        NetworkState.Node orderer = state.orderers().get(0);
        for (String channel : state.channels()) {
            admin(ctx, orderer, channel, "pause");
        }
        long deadline = ctx.clock().nanoTime() + bound.toNanos();
        String problem = "";
        while (ctx.clock().nanoTime() < deadline) {
            StatusTable table = ctx.sample();
            problem = divergence(table, orderer.name());
            if (problem.isEmpty()) {
                long blocks = 0;
                for (List<StatusTable.Row> rows : table.channels().values()) {
                    blocks += rows.stream().filter(r -> r.node().equals(orderer.name())).mapToLong(StatusTable.Row::height).sum();
                }
                ctx.event("converged", "all", blocks + " blocks, equal hashes");
                return blocks;
            }
            ctx.hold(Duration.ofMillis(200));
        }
        throw new ScenarioFailure("no convergence within " + bound + ": " + problem);
    }

    /** Empty when every live node has the ordering orderer's height and hash on every channel. */
    static String divergence(StatusTable table, String orderer) {
        for (Map.Entry<String, List<StatusTable.Row>> e : table.channels().entrySet()) {
            Optional<StatusTable.Row> reference = e.getValue().stream().filter(r -> r.node().equals(orderer) && r.up()).findFirst();
            if (reference.isEmpty()) {
                return "channel " + e.getKey() + ": " + orderer + " does not answer";
            }
            for (StatusTable.Row r : e.getValue()) {
                if (r.up() && (r.height() != reference.get().height() || !r.hash().equals(reference.get().hash()))) {
                    return "channel " + e.getKey() + ": " + r.node() + " at height " + r.height() + " hash " + prefix(r.hash())
                            + ", " + orderer + " at " + reference.get().height() + " hash " + prefix(reference.get().hash());
                }
            }
        }
        return "";
    }

    /** Over a few samples, at most one peer per org and channel delivers. */
    static void checkOneDelivererPerOrg(ScenarioContext ctx, Duration bound) throws Exception {
        NetworkSpec spec = ctx.spec();
        for (NetworkSpec.Channel channel : spec.channels()) {
            for (String org : channel.orgs()) {
                ctx.awaitAtMostOneDeliverer(channel.name(), org, bound);
            }
        }
    }

    /**
     * Per org and channel ({@code "Org1/ch1"}), how long two or more peers of the org delivered at once,
     * in milliseconds, from the sampled timeline: a sample round in which several deliver counts until
     * the next round. Every org and channel with peers has an entry (0 when it never happened).
     */
    static Map<String, Long> twoDeliverersMillis(List<Timeline.Sample> samples) {
        Map<String, TreeMap<Long, Set<String>>> rounds = new TreeMap<>();
        for (Timeline.Sample s : samples) {
            if (s.peer()) {
                // a set: two sample rounds of the same millisecond must not count one peer twice
                Set<String> delivering = rounds.computeIfAbsent(s.org() + "/" + s.channel(), k -> new TreeMap<>())
                        .computeIfAbsent(s.atMillis(), k -> new TreeSet<>());
                if (s.delivering() && s.height() >= 0) {
                    delivering.add(s.node());
                }
            }
        }
        Map<String, Long> result = new TreeMap<>();
        rounds.forEach((key, counts) -> {
            long total = 0;
            Map.Entry<Long, Set<String>> previous = null;
            for (Map.Entry<Long, Set<String>> round : counts.entrySet()) {
                if (previous != null && previous.getValue().size() > 1) {
                    total += round.getKey() - previous.getKey();
                }
                previous = round;
            }
            result.put(key, total);
        });
        return result;
    }

    /** Audits every node's ledger of every channel on disk; all must agree. Returns the blocks checked. */
    static long verifyLedgers(NetworkState state) throws ScenarioFailure {
        long blocks = 0;
        for (String channel : state.channels()) {
            Map<String, LedgerAudit.Summary> summaries = new HashMap<>();
            for (NetworkState.Node node : state.processes()) {
                if (!node.channels().contains(channel)) {
                    continue;
                }
                Path root = ledgerRoot(node);
                LedgerAudit.Summary summary = LedgerAudit.audit(root, channel);
                summaries.put(node.name(), summary);
                blocks += summary.height();
            }
            long max = summaries.values().stream().mapToLong(LedgerAudit.Summary::height).max().orElse(0);
            for (Map.Entry<String, LedgerAudit.Summary> e : summaries.entrySet()) {
                if (e.getValue().height() != max) {
                    throw new ScenarioFailure("channel " + channel + ": " + e.getKey() + " stopped at height " + e.getValue().height()
                            + " while others reached " + max);
                }
            }
            if (summaries.values().stream().map(LedgerAudit.Summary::lastHash).distinct().count() > 1) {
                throw new ScenarioFailure("channel " + channel + ": ledgers of equal height differ: " + summaries);
            }
        }
        return blocks;
    }

    /** The ledger root a node's config file names ({@code peer.fileSystemPath} or {@code FileLedger.Location}). */
    public static Path ledgerRoot(NetworkState.Node node) {
        var reader = ConfigLoader.load(Optional.of(Path.of(node.configFile())), Map.of(), List.of());
        return node.isPeer() ? reader.path("peer.fileSystemPath") : reader.path("FileLedger.Location");
    }

    private static void admin(ScenarioContext ctx, NetworkState.Node orderer, String channel, String call) throws Exception {
        try {
            if (call.equals("pause")) {
                ctx.control().pauseCutting(orderer.name(), channel);
            } else {
                ctx.control().resumeCutting(orderer.name(), channel);
            }
        } catch (IOException e) {
            throw new ScenarioFailure(e.getMessage());
        }
        ctx.event(call, orderer.name(), "block cutting on " + channel);
    }

    private static String prefix(String hash) {
        return hash.length() > 12 ? hash.substring(0, 12) : hash;
    }
}
