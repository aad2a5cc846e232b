package io.fabsim.cli.scenario;

import static io.fabsim.cli.scenario.Networks.CHANNEL;
import static io.fabsim.cli.scenario.Networks.ORG1;
import static io.fabsim.cli.scenario.Networks.ORG2;

import io.fabsim.cli.network.NetworkSpec;
import io.fabsim.cli.network.NetworkSpec.Mode;
import io.fabsim.cli.network.NetworkState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The failover scenarios of the suite, in the order they run. */
final class Scenarios {

    /** Generous bound for a failover on a busy machine (crash detection is well under a second). */
    static final Duration FAILOVER_BOUND = Duration.ofSeconds(30);
    /**
     * Bound from the kill -9 of a leader to another peer delivering. Failover takes well under a
     * second (crash detection ~0.2 s); 5 s leaves room for a busy machine and still fails a
     * regression to Fabric-like failover (10 to 25 s).
     */
    static final Duration CRASH_FAILOVER_BOUND = Duration.ofSeconds(5);
    /** Bound for a hang: FD_ALL3's timeout plus the same margin. */
    static final Duration HANG_BOUND = Duration.ofSeconds(45);
    /**
     * After a SIGCONT, how long two peers of the org may both report leader with a Deliver stream open:
     * the resumed peer notices its pause at once (issue 17: it must not stream again before it merged).
     */
    static final Duration RESUME_GRACE = Duration.ofMillis(500);
    /** How long after a SIGCONT that is watched (a merge of the views takes a few seconds). */
    static final Duration RESUME_WATCH = Duration.ofSeconds(6);
    /** Bound for a restarted process to start, open its ledgers and catch up (JVM start-up is slow under load). */
    static final Duration RESTART_BOUND = Duration.ofSeconds(90);
    /** peer.deliveryclient.reconnectTotalTimeThreshold in scenario networks: short, so orderers-down yields soon. */
    static final Duration RECONNECT_TOTAL = Duration.ofSeconds(8);

    private Scenarios() {
    }

    static List<Scenario> all() {
        return List.of(new LeaderKill(), new LeaderPause(), new KillAllButOne(), new RollingRestart(),
                new OrdererKill(), new OrderersDown(), new LeaderPartition(), new MixedStaticAndElection(),
                new GossipCatchUp());
    }

    /** Scenario: kill -9 the Org1 leader, N times, restarting it each time. Expected: a new leader each time, nothing lost. */
    static final class LeaderKill implements Scenario {
        public String name() {
            return "leader-kill";
        }

        public String description() {
            return "kill -9 the delivering peer of Org1, repeatedly, restarting it each time; another peer takes over "
                    + "and every peer converges with no missing block.";
        }

        public NetworkSpec network() {
            return Networks.oneOrg(3, Mode.ELECTION, false);
        }

        public void run(ScenarioContext ctx, int repeat) throws Exception {
            for (int i = 0; i < repeat; i++) {
                String old = ctx.awaitDeliverer(CHANNEL, ORG1, n -> true, FAILOVER_BOUND);
                ctx.killDelivererAndMeasure(CHANNEL, ORG1, FAILOVER_BOUND, CRASH_FAILOVER_BOUND);
                ctx.hold(Duration.ofSeconds(1));
                ctx.restart(old);
                ctx.awaitCaughtUp(old, RESTART_BOUND);
            }
        }
    }

    /**
     * Scenario: SIGSTOP the leader, then SIGCONT. Expected: takeover; from 0.5 s after the SIGCONT on,
     * never two peers that report leader and stream; then the old leader stands down for good.
     */
    static final class LeaderPause implements Scenario {
        public String name() {
            return "leader-pause";
        }

        public String description() {
            return "SIGSTOP the delivering peer of Org1 (a hang), let another take over, SIGCONT it; the stale leader "
                    + "stands down (no two streaming leaders later than 0.5 s after the SIGCONT), one deliverer remains.";
        }

        public NetworkSpec network() {
            return Networks.oneOrg(3, Mode.ELECTION, false);
        }

        public void run(ScenarioContext ctx, int repeat) throws Exception {
            for (int i = 0; i < repeat; i++) {
                String old = ctx.awaitDeliverer(CHANNEL, ORG1, n -> true, FAILOVER_BOUND);
                long t0 = ctx.clock().nanoTime();
                ctx.pause(old);
                String next = ctx.awaitDeliverer(CHANNEL, ORG1, n -> !n.equals(old), HANG_BOUND);
                ctx.failover("pause", old, next, t0);
                ctx.hold(Duration.ofSeconds(1));
                long resumed = ctx.clock().nanoTime();
                ctx.resume(old);
                ctx.checkOneStreamingLeaderAfterResume(CHANNEL, ORG1, resumed, RESUME_GRACE, RESUME_WATCH);
                ctx.awaitSingleDeliverer(CHANNEL, ORG1, HANG_BOUND);
                ctx.awaitCaughtUp(old, RESTART_BOUND);
            }
        }
    }

    /** Scenario: kill every eligible Org1 peer but one. Expected: the survivor delivers; the others rejoin. */
    static final class KillAllButOne implements Scenario {
        public String name() {
            return "kill-all-but-one";
        }

        public String description() {
            return "kill -9 every eligible Org1 peer but one (the leader among them); the survivor delivers alone; "
                    + "the killed peers restart and catch up.";
        }

        public NetworkSpec network() {
            return Networks.oneOrg(3, Mode.ELECTION, false);
        }

        public void run(ScenarioContext ctx, int repeat) throws Exception {
            for (int i = 0; i < repeat; i++) {
                String leader = ctx.awaitDeliverer(CHANNEL, ORG1, n -> true, FAILOVER_BOUND);
                List<String> peers = peerNames(ctx.state(), ORG1);
                String survivor = peers.stream().filter(p -> !p.equals(leader)).reduce((a, b) -> b).orElseThrow();
                List<String> victims = new ArrayList<>(peers);
                victims.remove(survivor);
                long t0 = ctx.clock().nanoTime();
                for (String v : victims) {
                    ctx.kill(v);
                }
                ctx.awaitDeliverer(CHANNEL, ORG1, survivor::equals, FAILOVER_BOUND);
                ctx.failover("kill-all-but-one", leader, survivor, t0);
                ctx.hold(Duration.ofSeconds(1));
                for (String v : victims) {
                    ctx.restart(v);
                }
                for (String v : victims) {
                    ctx.awaitCaughtUp(v, RESTART_BOUND);
                }
            }
        }
    }

    /** Scenario: restart every peer in turn. Expected: delivery never stops for long; all converge. */
    static final class RollingRestart implements Scenario {
        public String name() {
            return "rolling-restart";
        }

        public String description() {
            return "restart every peer of Org1 one after the other (SIGTERM, start); each comes back, catches up, "
                    + "and a deliverer is always found again.";
        }

        public NetworkSpec network() {
            return Networks.oneOrg(3, Mode.ELECTION, false);
        }

        public void run(ScenarioContext ctx, int repeat) throws Exception {
            for (int i = 0; i < repeat; i++) {
                for (String peer : peerNames(ctx.state(), ORG1)) {
                    boolean wasLeader = ctx.deliverer(CHANNEL, ORG1).map(peer::equals).orElse(false);
                    long t0 = ctx.clock().nanoTime();
                    ctx.restart(peer);
                    if (wasLeader) {
                        String next = ctx.awaitDeliverer(CHANNEL, ORG1, n -> !n.equals(peer), FAILOVER_BOUND);
                        ctx.failover("restart", peer, next, t0);
                    }
                    ctx.awaitCaughtUp(peer, RESTART_BOUND);
                    ctx.awaitDeliverer(CHANNEL, ORG1, n -> true, FAILOVER_BOUND);
                }
            }
        }
    }

    /** Scenario: kill the source orderer. Expected: the deliverer keeps reading from the follower. */
    static final class OrdererKill implements Scenario {
        public String name() {
            return "orderer-kill";
        }

        public String description() {
            return "kill -9 the orderer the Org1 leader's deliver client reads from (the one that cuts blocks, or its "
                    + "follower); the client moves to the other orderer; after the killed one restarts, every peer converges.";
        }

        public NetworkSpec network() {
            return Networks.oneOrg(2, Mode.ELECTION, true);
        }

        public void run(ScenarioContext ctx, int repeat) throws Exception {
            for (int i = 0; i < repeat; i++) {
                String leader = ctx.awaitDeliverer(CHANNEL, ORG1, n -> true, FAILOVER_BOUND);
                String read = ctx.awaitReadingFrom(leader, CHANNEL, o -> true, FAILOVER_BOUND);
                long t0 = ctx.clock().nanoTime();
                ctx.kill(read);
                String next = ctx.awaitReadingFrom(leader, CHANNEL, o -> !o.equals(read), FAILOVER_BOUND);
                ctx.failover("orderer-kill", read, next, t0);
                ctx.event("moved", leader, "deliver client reads from " + next + " after " + read + " was killed");
                ctx.awaitPeersReach(next, FAILOVER_BOUND);
                ctx.restart(read);
                ctx.awaitHealthy(read, RESTART_BOUND);
            }
        }
    }

    /** Scenario: every orderer down past reconnectTotalTimeThreshold. Expected: leaders yield; delivery resumes. */
    static final class OrderersDown implements Scenario {
        public String name() {
            return "orderers-down";
        }

        public String description() {
            return "stop every orderer for longer than peer.deliveryclient.reconnectTotalTimeThreshold; the leader's "
                    + "deliver client gives up and yields; when an orderer returns, delivery resumes and peers converge.";
        }

        public NetworkSpec network() {
            return Networks.oneOrg(3, Mode.ELECTION, false);
        }

        public void run(ScenarioContext ctx, int repeat) throws Exception {
            for (int i = 0; i < repeat; i++) {
                String leader = ctx.awaitDeliverer(CHANNEL, ORG1, n -> true, FAILOVER_BOUND);
                long t0 = ctx.clock().nanoTime();
                ctx.kill("orderer0");
                String other = ctx.awaitYield(CHANNEL, ORG1, leader, RECONNECT_TOTAL.multipliedBy(4).plus(FAILOVER_BOUND));
                ctx.failover("orderers-down", leader, other, t0);
                ctx.restart("orderer0");
                ctx.awaitHealthy("orderer0", RESTART_BOUND);
                ctx.awaitDeliverer(CHANNEL, ORG1, n -> true, RECONNECT_TOTAL.multipliedBy(4).plus(FAILOVER_BOUND));
            }
        }
    }

    /** Scenario: Org1 elects, Org2 has a static leader, same channel. Expected: both deliver; Org1 fails over. */
    static final class MixedStaticAndElection implements Scenario {
        public String name() {
            return "mixed-static-election";
        }

        public String description() {
            return "Org1 with leader election next to Org2 with a static orgLeader and a gossip-only peer on the same "
                    + "channel; kill the Org1 leader; Org2's static leader never stops; everyone converges.";
        }

        public NetworkSpec network() {
            return Networks.mixed();
        }

        public void run(ScenarioContext ctx, int repeat) throws Exception {
            String staticLeader = ctx.awaitDeliverer(CHANNEL, ORG2, n -> true, FAILOVER_BOUND);
            for (int i = 0; i < repeat; i++) {
                String old = ctx.awaitDeliverer(CHANNEL, ORG1, n -> true, FAILOVER_BOUND);
                ctx.killDelivererAndMeasure(CHANNEL, ORG1, FAILOVER_BOUND, CRASH_FAILOVER_BOUND);
                ctx.awaitDeliverer(CHANNEL, ORG2, staticLeader::equals, FAILOVER_BOUND);
                ctx.restart(old);
                ctx.awaitCaughtUp(old, RESTART_BOUND);
            }
        }
    }

    /**
     * Scenario: a peer misses 1,000 blocks, then restarts while no orderer runs. Expected: it catches
     * up from its peers alone.
     */
    static final class GossipCatchUp implements Scenario {
        /** How many blocks the stopped peer misses. */
        static final int MISSED = 1000;

        public String name() {
            return "gossip-catch-up";
        }

        public String description() {
            return "kill -9 a non-leader peer, let " + MISSED + " blocks flow, kill the orderer, restart the peer: it "
                    + "catches up from its org's peers alone (state transfer); then the orderer returns and everyone "
                    + "converges.";
        }

        public NetworkSpec network() {
            // one transaction a block, 100 a second: the peer misses 1,000 blocks in about 10 s
            return Networks.oneOrg(3, Mode.ELECTION, false).withLoad(Duration.ofMillis(300), 1, 100);
        }

        public void run(ScenarioContext ctx, int repeat) throws Exception {
            for (int i = 0; i < repeat; i++) {
                String leader = ctx.awaitDeliverer(CHANNEL, ORG1, n -> true, FAILOVER_BOUND);
                String victim = peerNames(ctx.state(), ORG1).stream().filter(p -> !p.equals(leader)).findFirst().orElseThrow();
                long missedFrom = ctx.height(victim, CHANNEL);
                ctx.kill(victim);
                ctx.awaitHeightAtLeast(leader, missedFrom + MISSED, RESTART_BOUND);
                ctx.kill("orderer0");
                ctx.restart(victim);
                ctx.awaitAsHighAsPeers(victim, RESTART_BOUND);
                ctx.restart("orderer0");
                ctx.awaitHealthy("orderer0", RESTART_BOUND);
            }
        }
    }

    static List<String> peerNames(NetworkState state, String org) {
        return state.peers().stream().filter(n -> n.org().equals(org)).map(NetworkState.Node::name).toList();
    }
}
