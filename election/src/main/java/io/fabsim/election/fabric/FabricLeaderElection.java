package io.fabsim.election.fabric;

import io.fabsim.common.time.Clock;
import io.fabsim.common.time.Scheduler;
import io.fabsim.election.ElectionMember;
import io.fabsim.election.FabricElectionConfig;
import io.fabsim.election.LeaderElection;
import io.fabsim.election.LeadershipListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link LeaderElection} with Fabric's own algorithm ({@code peer.gossip.election.algorithm = fabric}):
 * one {@link ChannelElection} per channel this peer may lead, over the gossip layer's
 * {@link ElectionTransport}, on one scheduler of the injected clock. As in Fabric, a peer that may
 * not lead a channel ({@code eligible = false}) takes no part in its election at all.
 */
public final class FabricLeaderElection implements LeaderElection {

    private static final Logger log = LoggerFactory.getLogger(FabricLeaderElection.class);

    private final FabricElectionConfig config;
    private final String nodeName;
    private final ElectionTransport transport;
    private final Clock clock;
    private final Scheduler scheduler;
    private final Map<String, Joined> channels = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private record Joined(boolean eligible, LeadershipListener listener, Optional<ChannelElection> election) {
    }

    public FabricLeaderElection(FabricElectionConfig config, String nodeName, ElectionTransport transport, Clock clock) {
        this.config = config;
        this.nodeName = nodeName;
        this.transport = transport;
        this.clock = clock;
        this.scheduler = clock.newScheduler("fabric-election-" + nodeName);
    }

    /** Nothing to join: Fabric's election starts per channel, at {@link #join}. */
    @Override
    public void start() {
        log.info("{}: Fabric leader election (startupGracePeriod {}, membershipSampleInterval {}, "
                + "leaderAliveThreshold {}, leaderElectionDuration {})", nodeName, config.startupGracePeriod(),
                config.membershipSampleInterval(), config.leaderAliveThreshold(), config.leaderElectionDuration());
    }

    @Override
    public synchronized void join(String channel, boolean eligible, LeadershipListener listener) {
        if (closed) {
            return;
        }
        stopElection(channel, false);
        Optional<ChannelElection> election = Optional.empty();
        if (eligible) {
            ChannelElection e = new ChannelElection(new ChannelElection.Setup(channel, transport.selfId(), config,
                    transport.adapter(channel), scheduler, clock), callback(channel, listener));
            election = Optional.of(e);
        }
        channels.put(channel, new Joined(eligible, listener, election));
        election.ifPresent(ChannelElection::start);
    }

    @Override
    public synchronized void leave(String channel) {
        if (!closed) {
            stopElection(channel, true);
        }
    }

    @Override
    public void yield(String channel) {
        Joined joined = channels.get(channel);
        if (joined != null) {
            joined.election().ifPresent(ChannelElection::yieldLeadership);
        }
    }

    @Override
    public boolean isLeader(String channel) {
        Joined joined = channels.get(channel);
        return !closed && joined != null && joined.election().map(ChannelElection::isLeader).orElse(false);
    }

    @Override
    public Optional<String> leaderOf(String channel) {
        Joined joined = channels.get(channel);
        if (joined == null || joined.election().isEmpty()) {
            return Optional.empty();
        }
        return joined.election().get().leader().map(this::named);
    }

    @Override
    public String nodeName() {
        return nodeName;
    }

    /** This peer (with its channels) and the org peers the gossip layer reaches (channels unknown here). */
    @Override
    public List<ElectionMember> members() {
        List<ElectionMember> members = new ArrayList<>();
        Set<String> joined = Set.copyOf(channels.keySet());
        Set<String> eligible = Set.copyOf(channels.entrySet().stream().filter(e -> e.getValue().eligible())
                .map(Map.Entry::getKey).toList());
        members.add(new ElectionMember(nodeName, Map.of(), joined, eligible));
        for (ElectionPeer peer : transport.orgPeers()) {
            members.add(new ElectionMember(peer.name(), Map.of(), Set.of(), Set.of()));
        }
        return members;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (String channel : List.copyOf(channels.keySet())) {
            stopElection(channel, false);
        }
        scheduler.close();
    }

    private void stopElection(String channel, boolean renounce) {
        Joined joined = channels.remove(channel);
        if (joined == null || joined.election().isEmpty()) {
            return;
        }
        boolean wasLeader = joined.election().get().stop();
        if (wasLeader && renounce) {
            joined.listener().onLeadershipChanged(channel, false);
        }
    }

    private String named(String leader) {
        return leader.equals(ChannelElection.SELF) ? nodeName : leader;
    }

    private ChannelElection.Callback callback(String channel, LeadershipListener listener) {
        return new ChannelElection.Callback() {
            @Override
            public void leadershipChanged(boolean isLeader) {
                listener.onLeadershipChanged(channel, isLeader);
            }

            @Override
            public void leaderChanged(Optional<String> leader) {
                listener.onLeaderChanged(channel, leader.map(FabricLeaderElection.this::named));
            }
        };
    }
}
