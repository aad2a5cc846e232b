package io.fabsim.cli.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * When each block arrived on each node's Deliver stream ({@code System.nanoTime} of this process,
 * one machine clock for every stream), and the pure computations the benchmarks make from it.
 */
public final class Arrivals {

    /** A block and the time it had arrived everywhere (the latest of its arrivals). */
    public record Commit(long block, long nanos) {
    }

    private final Map<String, NavigableMap<Long, Long>> byNode = new ConcurrentHashMap<>();

    /** Records the first arrival of {@code block} at {@code node}; later copies are ignored. */
    public void record(String node, long block, long nanos) {
        byNode.computeIfAbsent(node, k -> new ConcurrentSkipListMap<>()).putIfAbsent(block, nanos);
    }

    public NavigableMap<Long, Long> of(String node) {
        return byNode.computeIfAbsent(node, k -> new ConcurrentSkipListMap<>());
    }

    public Map<String, NavigableMap<Long, Long>> all() {
        return byNode;
    }

    /** The highest block any of {@code nodes} had at or before {@code nanos}; -1 when none had one. */
    public static long lastBefore(Map<String, ? extends Map<Long, Long>> arrivals, Collection<String> nodes, long nanos) {
        long last = -1;
        for (String node : nodes) {
            for (Map.Entry<Long, Long> e : at(arrivals, node).entrySet()) {
                if (e.getValue() <= nanos && e.getKey() > last) {
                    last = e.getKey();
                }
            }
        }
        return last;
    }

    /**
     * The lowest block above {@code after} that every one of {@code nodes} has, with the time it had
     * reached the last of them; empty while no such block exists (or {@code nodes} is empty).
     */
    public static Optional<Commit> firstEverywhereAfter(Map<String, ? extends Map<Long, Long>> arrivals,
                                                        Collection<String> nodes, long after) {
        if (nodes.isEmpty()) {
            return Optional.empty();
        }
        Optional<Commit> best = Optional.empty();
        for (Long block : at(arrivals, nodes.iterator().next()).keySet()) {
            if (block <= after || (best.isPresent() && block >= best.get().block())) {
                continue;
            }
            Optional<Long> everywhere = lastArrival(arrivals, nodes, block);
            if (everywhere.isPresent()) {
                best = Optional.of(new Commit(block, everywhere.get()));
            }
        }
        return best;
    }

    /** The time {@code block} reached the last of {@code nodes}; empty when one of them lacks it. */
    public static Optional<Long> lastArrival(Map<String, ? extends Map<Long, Long>> arrivals, Collection<String> nodes,
                                             long block) {
        long latest = Long.MIN_VALUE;
        for (String node : nodes) {
            Long t = at(arrivals, node).get(block);
            if (t == null) {
                return Optional.empty();
            }
            latest = Math.max(latest, t);
        }
        return nodes.isEmpty() ? Optional.empty() : Optional.of(latest);
    }

    /**
     * For every block of {@code source} (block number to the time the source served it) that every
     * one of {@code nodes} has: the time from the source to the last of them, in block order.
     */
    public static List<Long> latenciesToLast(Map<Long, Long> source, Map<String, ? extends Map<Long, Long>> arrivals,
                                             Collection<String> nodes) {
        List<Long> out = new ArrayList<>();
        source.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                lastArrival(arrivals, nodes, e.getKey()).ifPresent(t -> out.add(t - e.getValue())));
        return out;
    }

    /**
     * When every one of {@code nodes} had {@code block}, counting from {@code from}: a node whose
     * stream served the block counts with that time (not before {@code from}); a node whose stream
     * began above it had it already. Empty while a node has neither (it still lacks the block).
     */
    public static Optional<Long> everywhereSince(Map<String, ? extends Map<Long, Long>> arrivals,
                                                 Collection<String> nodes, long block, long from) {
        long latest = from;
        for (String node : nodes) {
            Map<Long, Long> m = at(arrivals, node);
            Long t = m.get(block);
            if (t != null) {
                latest = Math.max(latest, t);
            } else if (m.keySet().stream().noneMatch(b -> b > block)) {
                return Optional.empty();
            }
        }
        return nodes.isEmpty() ? Optional.empty() : Optional.of(latest);
    }

    private static Map<Long, Long> at(Map<String, ? extends Map<Long, Long>> arrivals, String node) {
        Map<Long, Long> m = arrivals.get(node);
        return m == null ? Map.of() : m;
    }

    /** Blocks of {@code source} that at least one of {@code nodes} lacks. */
    public static long missing(Map<Long, Long> source, Map<String, ? extends Map<Long, Long>> arrivals,
                               Collection<String> nodes) {
        return source.keySet().stream().filter(b -> lastArrival(arrivals, nodes, b).isEmpty()).count();
    }
}
