package io.fabsim.cli.chaos;

import java.util.List;

/**
 * A broken invariant: {@code kind} (two-streaming-peers, exited, no-convergence, block-lost), when it
 * was seen (milliseconds since the run started; {@code end} equals {@code start} for a single
 * observation), where ({@code channel} and {@code org} when they apply), which nodes, and the seed
 * that replays the schedule that led to it.
 */
public record Violation(String kind, int epoch, long startMillis, long endMillis, String channel, String org,
                        List<String> peers, long seed, String detail) {
}
