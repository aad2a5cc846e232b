package io.fabsim.cli.scenario;

import static io.fabsim.cli.scenario.Networks.CHANNEL;
import static io.fabsim.cli.scenario.Networks.ORG1;

import io.fabsim.cli.network.Netns;
import io.fabsim.cli.network.NetworkSpec;
import io.fabsim.cli.network.NetworkSpec.Mode;
import java.time.Duration;
import java.util.Optional;

/**
 * Scenario: the delivering peer of Org1 is cut off from its org and from the orderer (each peer
 * runs in its own network namespace; its link to the bridge goes down), then the link is restored.
 * Expected: the other side elects its own leader and keeps delivering (the cut-off one may still
 * think it leads, but reaches no orderer); after the heal, MERGE3 merges the views and within a few
 * seconds exactly one peer delivers; every peer converges with the orderer, no block missing.
 * Needs root (network namespaces); skipped with the reason otherwise.
 */
final class LeaderPartition implements Scenario {

    /** After the heal: MERGE3 (1-3 s) plus the election's settling, with the margin of a busy machine. */
    static final Duration HEAL_BOUND = Duration.ofSeconds(30);
    /** How long the majority side runs alone, with blocks flowing, before the heal. */
    static final Duration APART = Duration.ofSeconds(4);

    @Override
    public String name() {
        return "leader-partition";
    }

    @Override
    public String description() {
        return "cut the delivering peer of Org1 off the network (own network namespace, link down); the other side "
                + "elects its own leader and keeps delivering; after the link is restored exactly one peer delivers "
                + "and every peer converges.";
    }

    @Override
    public NetworkSpec network() {
        return Networks.oneOrg(3, Mode.ELECTION, false).withNetns(true);
    }

    @Override
    public Optional<String> skipReason() {
        return Netns.unavailableReason();
    }

    @Override
    public void run(ScenarioContext ctx, int repeat) throws Exception {
        for (int i = 0; i < repeat; i++) {
            String leader = ctx.awaitDeliverer(CHANNEL, ORG1, n -> true, Scenarios.FAILOVER_BOUND);
            long t0 = ctx.clock().nanoTime();
            ctx.partition(leader);
            String other = ctx.awaitDeliverer(CHANNEL, ORG1, n -> !n.equals(leader), Scenarios.HANG_BOUND);
            ctx.failover("partition", leader, other, t0);
            ctx.hold(APART);
            ctx.awaitCaughtUp(other, Scenarios.FAILOVER_BOUND);
            long healed = ctx.clock().nanoTime();
            ctx.heal(leader);
            ctx.awaitHealthy(leader, Scenarios.FAILOVER_BOUND);
            ctx.awaitSingleDeliverer(CHANNEL, ORG1, HEAL_BOUND);
            ctx.event("merged", ctx.deliverer(CHANNEL, ORG1).orElse("?"), "one deliverer "
                    + (ctx.clock().nanoTime() - healed) / 1_000_000 + " ms after the heal of " + leader);
            ctx.awaitCaughtUp(leader, Scenarios.FAILOVER_BOUND);
        }
    }
}
