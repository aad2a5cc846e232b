package io.fabsim.peer;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.Supplier;

/**
 * The peer's own metric, read from the channels when scraped (Fabric's name):
 * {@code gossip_leader_election_leader{channel}}, 1 while this peer is the channel's leader (or a
 * static leader), else 0. {@code ledger_blockchain_height}, {@code gossip_state_height} and
 * {@code gossip_payload_buffer_size} come from the gossip module's metrics, the deliver-client and
 * Deliver service metrics from theirs, all in the peer's one registry.
 */
final class PeerMetrics {

    private PeerMetrics() {
    }

    static void register(PrometheusRegistry registry, Supplier<PeerStatus> status) {
        GaugeWithCallback.builder()
                .name("gossip_leader_election_leader")
                .help("Peer is leader (1) or follower (0).")
                .labelNames("channel")
                .callback(cb -> status.get().channels().forEach(c -> cb.call(c.leader() ? 1 : 0, c.channel())))
                .register(registry);
    }
}
