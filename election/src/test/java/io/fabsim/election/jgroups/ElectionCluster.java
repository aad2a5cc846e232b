package io.fabsim.election.jgroups;

import static org.awaitility.Awaitility.await;

import io.fabsim.common.time.ManualClock;
import io.fabsim.election.ElectionConfig;
import io.fabsim.election.ElectionIdentity;
import io.fabsim.election.LeadershipListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.Callable;
import org.awaitility.core.ConditionTimeoutException;
import org.jgroups.Address;
import org.jgroups.JChannel;
import org.jgroups.protocols.DISCARD;
import org.jgroups.protocols.FD_ALL3;
import org.jgroups.protocols.MERGE3;
import org.jgroups.protocols.SHARED_LOOPBACK;
import org.jgroups.protocols.SHARED_LOOPBACK_PING;
import org.jgroups.protocols.UNICAST3;
import org.jgroups.protocols.VERIFY_SUSPECT2;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.protocols.pbcast.NAKACK2;
import org.jgroups.protocols.pbcast.STABLE;

/**
 * An in-JVM election cluster for tests (after Ratis' MiniRaftCluster): members on SHARED_LOOPBACK,
 * each with a DISCARD protocol to hang it or cut it off, its own ManualClock, and a recording
 * listener per channel. Election time moves only while the test waits: {@link #awaitUntil} advances
 * every live member's clock by its poll interval before each poll (JGroups' own timers run on real
 * time), and dumps every member's table and view on timeout.
 * Always closed by the test (try-with-resources).
 */
final class ElectionCluster implements AutoCloseable {

    private static final AtomicInteger CLUSTERS = new AtomicInteger();
    private static final Duration POLL = Duration.ofMillis(20);

    /** Test settings: short grace periods; the pause detector only fires when a ManualClock jumps. */
    static ElectionConfig testConfig(String prefix) {
        return new ElectionConfig(Duration.ofSeconds(3), Duration.ofMillis(300), Duration.ofMillis(500),
                Duration.ofMillis(300), Duration.ofSeconds(30), prefix,
                new ElectionConfig.JGroups(Optional.empty(), "127.0.0.1", 0, List.of()));
    }

    /** What one member's listener saw on one channel. */
    static final class Recorder implements LeadershipListener {
        final List<Boolean> changes = new CopyOnWriteArrayList<>();
        volatile Optional<String> leader = Optional.empty();

        @Override
        public void onLeadershipChanged(String channel, boolean isLeader) {
            changes.add(isLeader);
        }

        @Override
        public void onLeaderChanged(String channel, Optional<String> leaderId) {
            leader = leaderId;
        }

        boolean lastSaid() {
            return !changes.isEmpty() && changes.get(changes.size() - 1);
        }
    }

    static final class Member {
        final String name;
        final JGroupsLeaderElection election;
        final DISCARD discard;
        final ManualClock clock;
        final Map<String, Recorder> recorders = new ConcurrentHashMap<>();
        volatile boolean stopped;

        Member(String name, JGroupsLeaderElection election, DISCARD discard, ManualClock clock) {
            this.name = name;
            this.election = election;
            this.discard = discard;
            this.clock = clock;
        }

        Recorder recorder(String channel) {
            return recorders.get(channel);
        }

        Address address() {
            return election.jgroupsChannel().address();
        }
    }

    private final ElectionConfig config;
    private final String org;
    private final Map<String, Member> members = new ConcurrentHashMap<>();
    private final List<String> order = new CopyOnWriteArrayList<>();

    ElectionCluster() {
        this(testConfig("test-election-"));
    }

    ElectionCluster(ElectionConfig config) {
        this.config = config;
        this.org = "Org" + CLUSTERS.incrementAndGet() + "-" + ProcessHandle.current().pid() + "MSP";
    }

    Member start(String name) {
        DISCARD discard = new DISCARD();
        JChannel channel;
        try {
            channel = new JChannel(new SHARED_LOOPBACK(), discard, new SHARED_LOOPBACK_PING(),
                    new MERGE3().setMinInterval(500).setMaxInterval(1500),
                    new FD_ALL3().setTimeout(2000).setInterval(400),
                    new VERIFY_SUSPECT2().setTimeout(100),
                    new NAKACK2().setXmitInterval(200), new UNICAST3().setXmitInterval(200), new STABLE(),
                    new GMS().setJoinTimeout(300).printLocalAddress(false));
        } catch (Exception e) {
            throw new IllegalStateException("cannot build the test stack for " + name, e);
        }
        ManualClock clock = new ManualClock();
        JGroupsLeaderElection election = JGroupsLeaderElection.over(channel, config,
                new ElectionIdentity(org, name, Map.of("gossipEndpoint", name + ":7051")), clock);
        Member m = new Member(name, election, discard, clock);
        members.put(name, m);
        order.add(name);
        election.start();
        return m;
    }

    void join(String name, String channel, boolean eligible) {
        Member m = member(name);
        Recorder r = new Recorder();
        m.recorders.put(channel, r);
        m.election.join(channel, eligible, r);
    }

    Member member(String name) {
        Member m = members.get(name);
        if (m == null) {
            throw new IllegalArgumentException("no member " + name);
        }
        return m;
    }

    /** Leaves the cluster cleanly (Fabric's Stop). */
    void stop(String name) {
        Member m = member(name);
        m.stopped = true;
        m.election.close();
    }

    /** Freezes a member as SIGSTOP would: all its traffic is dropped both ways. */
    void hang(String name) {
        member(name).discard.discardAll(true);
    }

    void resume(String name) {
        member(name).discard.discardAll(false);
    }

    /**
     * Freezes a member as SIGSTOP does: all its traffic is dropped both ways and its own failure
     * detection stops (a stopped process suspects nobody, so its view stays as it was). Undone by
     * {@link #thaw}; the test advances the member's clock to let its pause detector notice.
     */
    void freeze(String name) {
        Member m = member(name);
        m.discard.discardAll(true);
        failureDetection(m).stopFailureDetection();
    }

    void thaw(String name) {
        Member m = member(name);
        failureDetection(m).startFailureDetection();
        m.discard.discardAll(false);
    }

    private static FD_ALL3 failureDetection(Member m) {
        FD_ALL3 fd = m.election.jgroupsChannel().getProtocolStack().findProtocol(FD_ALL3.class);
        return fd;
    }

    /** Whether every live member has the same view, of every live member. */
    boolean merged() {
        List<Member> live = live();
        return live.stream().allMatch(m -> {
            org.jgroups.View v = m.election.jgroupsChannel().view();
            return v != null && v.size() == live.size() && v.equals(live.get(0).election.jgroupsChannel().view());
        });
    }

    /** Cuts the cluster into the given groups: members of different groups no longer hear each other. */
    void partition(List<List<String>> groups) {
        for (List<String> group : groups) {
            for (String name : group) {
                for (String other : order) {
                    if (!group.contains(other) && !member(other).stopped) {
                        member(name).discard.addIgnoreMember(member(other).address());
                    }
                }
            }
        }
    }

    void heal() {
        live().forEach(m -> m.discard.resetIgnoredMembers());
    }

    List<Member> live() {
        List<Member> result = new ArrayList<>();
        for (String name : order) {
            Member m = members.get(name);
            if (!m.stopped) {
                result.add(m);
            }
        }
        return result;
    }

    /** Names of live members that consider themselves leader of {@code channel}. */
    List<String> leaders(String channel) {
        return leaders(channel, live());
    }

    static List<String> leaders(String channel, Collection<Member> among) {
        List<String> result = new ArrayList<>();
        for (Member m : among) {
            if (m.election.isLeader(channel)) {
                result.add(m.name);
            }
        }
        return result;
    }

    /**
     * Polls {@code condition} for up to {@code seconds} of real time, moving every live member's clock
     * {@link #POLL} forward before each poll; on timeout fails with a dump of every member.
     */
    void awaitUntil(String what, int seconds, Callable<Boolean> condition) {
        try {
            await().pollInterval(POLL).atMost(Duration.ofSeconds(seconds)).until(() -> {
                live().forEach(m -> m.clock.advance(POLL));
                return condition.call();
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("timed out after " + seconds + " s waiting for: " + what + "\n" + dump(), e);
        }
    }

    String dump() {
        StringBuilder sb = new StringBuilder();
        for (String name : order) {
            Member m = members.get(name);
            sb.append("  ").append(name).append(m.stopped ? " (stopped)" : "")
                    .append(" view=").append(m.election.jgroupsChannel().view())
                    .append(" table=").append(m.election.table());
            m.recorders.forEach((ch, r) -> sb.append(' ').append(ch).append(':')
                    .append(m.election.isLeader(ch) ? "LEADER" : "-").append(r.changes));
            sb.append('\n');
        }
        return sb.toString();
    }

    @Override
    public void close() {
        for (Member m : members.values()) {
            m.election.close();
        }
    }
}
