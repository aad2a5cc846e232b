package io.fabsim.cli.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The nemesis's schedule, a pure function of a seed: the same seed, settings and topology give the
 * same faults at the same offsets, so a run that found a violation can be replayed.
 *
 * <p>The run is cut into epochs of {@code freshEvery}; each starts on a freshly started network
 * (where leadership has just been decided, which is when a resumed leader was seen to deliver next
 * to its successor), and its first fault, within two seconds of the network being up, is a pause of
 * a leader around the failure-detection time. Then faults follow at random gaps of
 * {@link #MIN_GAP} to {@link #MAX_GAP}, each of a kind drawn uniformly from those enabled, on a peer
 * drawn at random or on whichever peer leads a channel then. Half the pauses last the failure-
 * detection time ± 1 s (the hang is noticed, or just not); the others 0.5 to 8 s. Faults overlap,
 * within bounds that keep the network able to recover: in each org at most all peers but one are
 * hit at once, and at most one orderer is down at a time. A killed or restarted peer counts as hit
 * for {@link #RESTART_TIME} after it is started again (a JVM start on a busy machine).
 */
public final class ChaosPlan {

    /** What a schedule is drawn from besides the topology. */
    public record Settings(long seed, Duration duration, Duration freshEvery, List<FaultKind> kinds,
                           Duration failureDetection) {
        public Settings {
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("duration: expected more than 0, got " + duration);
            }
            if (freshEvery.compareTo(Duration.ofSeconds(20)) < 0) {
                throw new IllegalArgumentException("fresh-every: expected at least 20 s, got " + freshEvery);
            }
            if (kinds.isEmpty()) {
                throw new IllegalArgumentException("kinds: expected at least one fault kind");
            }
        }

        public int epochs() {
            return (int) Math.max(1, (duration.toMillis() + freshEvery.toMillis() - 1) / freshEvery.toMillis());
        }

        public long epochMillis(int epoch) {
            return Math.min(freshEvery.toMillis(), duration.toMillis() - epoch * freshEvery.toMillis());
        }
    }

    static final long FIRST_FAULT_WITHIN = 2_000;
    static final long MIN_GAP = 500;
    static final long MAX_GAP = 5_000;
    static final long RESTART_TIME = 10_000;
    static final long MIN_HOLD = 500;

    private ChaosPlan() {
    }

    /** Every fault of every epoch, in order. */
    public static List<Fault> generate(Settings settings, Topology topology) {
        Random random = new Random(settings.seed());
        List<Fault> all = new ArrayList<>();
        for (int e = 0; e < settings.epochs(); e++) {
            all.addAll(epoch(e, settings, topology, random));
        }
        return List.copyOf(all);
    }

    private static List<Fault> epoch(int epoch, Settings settings, Topology topology, Random random) {
        long length = settings.epochMillis(epoch);
        List<Fault> faults = new ArrayList<>();
        long t = random.nextInt((int) FIRST_FAULT_WITHIN);
        if (settings.kinds().contains(FaultKind.PAUSE)) {
            Fault.Target leader = randomLeader(topology, random);
            add(faults, new Fault(epoch, t, FaultKind.PAUSE, leader, aroundDetection(settings, random)), length, topology);
        }
        while (true) {
            if (!faults.isEmpty()) {
                t += MIN_GAP + random.nextInt((int) (MAX_GAP - MIN_GAP));
            }
            if (t >= length - MIN_HOLD) {
                return faults;
            }
            FaultKind kind = settings.kinds().get(random.nextInt(settings.kinds().size()));
            long hold = hold(kind, settings, random);
            Fault.Target target = kind == FaultKind.ORDERER_KILL
                    ? Fault.Target.node(topology.orderers().get(random.nextInt(topology.orderers().size())), null)
                    : random.nextBoolean() ? randomLeader(topology, random) : randomPeer(topology, random);
            add(faults, new Fault(epoch, t, kind, target, hold), length, topology);
        }
    }

    /** Adds {@code f} (its hold cut at the epoch's end) unless it would hit more than the bounds allow. */
    private static void add(List<Fault> faults, Fault f, long length, Topology topology) {
        long hold = Math.min(f.holdMillis(), length - f.atMillis());
        if (f.kind() != FaultKind.RESTART && hold < MIN_HOLD) {
            return;
        }
        Fault cut = new Fault(f.epoch(), f.atMillis(), f.kind(), f.target(), f.kind() == FaultKind.RESTART ? 0 : hold);
        List<Fault> active = faults.stream().filter(o -> busyUntil(o) > cut.atMillis()).toList();
        if (cut.kind() == FaultKind.ORDERER_KILL) {
            if (active.stream().anyMatch(o -> o.kind() == FaultKind.ORDERER_KILL)) {
                return;
            }
        } else {
            String org = cut.target().org();
            long inOrg = active.stream().filter(o -> org.equals(o.target().org())).count();
            boolean sameNode = !cut.target().isLeader()
                    && active.stream().anyMatch(o -> cut.target().node().equals(o.target().node()));
            if (sameNode || inOrg >= topology.peersByOrg().get(org).size() - 1) {
                return;
            }
        }
        faults.add(cut);
    }

    /** Until when a fault counts as hitting its target: its end, plus a restart's start-up for a killed or restarted node. */
    static long busyUntil(Fault f) {
        boolean starts = f.kind() == FaultKind.KILL || f.kind() == FaultKind.RESTART || f.kind() == FaultKind.ORDERER_KILL;
        return f.endMillis() + (starts ? RESTART_TIME : 0);
    }

    private static long hold(FaultKind kind, Settings settings, Random random) {
        return switch (kind) {
            case PAUSE -> random.nextBoolean() ? aroundDetection(settings, random) : between(random, 500, 8_000);
            case KILL -> between(random, 500, 5_000);
            case PARTITION, DELAY -> between(random, 1_000, 10_000);
            case ORDERER_KILL -> between(random, 500, 8_000);
            case RESTART -> 0;
        };
    }

    /** The failure-detection time ± 1 s, uniformly. */
    static long aroundDetection(Settings settings, Random random) {
        long centre = settings.failureDetection().toMillis();
        return Math.max(MIN_HOLD, centre - 1_000 + random.nextInt(2_001));
    }

    private static long between(Random random, long from, long to) {
        return from + random.nextInt((int) (to - from + 1));
    }

    private static Fault.Target randomLeader(Topology topology, Random random) {
        List<String> channels = List.copyOf(topology.orgsByChannel().keySet());
        String channel = channels.get(random.nextInt(channels.size()));
        List<String> orgs = topology.orgsByChannel().get(channel);
        return Fault.Target.leader(channel, orgs.get(random.nextInt(orgs.size())));
    }

    private static Fault.Target randomPeer(Topology topology, Random random) {
        List<String> orgs = List.copyOf(topology.peersByOrg().keySet());
        String org = orgs.get(random.nextInt(orgs.size()));
        List<String> peers = topology.peersByOrg().get(org);
        return Fault.Target.node(peers.get(random.nextInt(peers.size())), org);
    }
}
