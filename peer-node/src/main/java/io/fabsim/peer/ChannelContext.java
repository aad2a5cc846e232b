package io.fabsim.peer;

import io.fabsim.common.time.Clock;
import io.fabsim.deliver.DeliveryService;
import io.fabsim.election.LeaderElection;
import io.fabsim.gossip.GossipMetrics;
import java.time.Duration;
import java.util.Optional;

/**
 * What every channel of one peer shares: its name and mode, the deliver service, the org's
 * election (mode ELECTION only), the clock, the gossip metrics and the payload buffer settings
 * ({@code peer.gossip.state.blockBufferSize}, {@code ordererWaitTimeout}).
 */
record ChannelContext(String peerId, LeaderMode mode, DeliveryService delivery, Optional<LeaderElection> election,
        Clock clock, GossipMetrics metrics, int bufferCapacity, Duration ordererWait) {
}
