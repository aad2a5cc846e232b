package io.fabsim.peer;

import io.fabsim.common.time.Clock;
import io.fabsim.deliver.DeliveryService;
import io.fabsim.election.LeaderElection;
import io.fabsim.gossip.GossipMetrics;
import io.fabsim.gossip.GossipNode;
import java.time.Duration;
import java.util.Optional;

/**
 * What every channel of one peer shares: its name and mode, the deliver service, the org's
 * election (mode Elected only), gossip, whether blocks from the orderer are gossiped
 * ({@code peer.deliveryclient.blockGossipEnabled}), the clock, the gossip metrics and the payload
 * buffer settings ({@code peer.gossip.state.blockBufferSize}, {@code ordererWaitTimeout}).
 */
record ChannelContext(String peerId, LeaderMode mode, DeliveryService delivery, Optional<LeaderElection> election,
        GossipNode gossip, boolean blockGossip, Clock clock, GossipMetrics metrics, Buffers buffers) {

    /** The payload buffer's capacity and how long a block from the orderer waits for room. */
    record Buffers(int capacity, Duration ordererWait) {
    }
}
