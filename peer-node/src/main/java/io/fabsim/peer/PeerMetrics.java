package io.fabsim.peer;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.Supplier;

/**
 * The peer's own metrics, read from the channels when scraped (Fabric's names):
 * {@code ledger_blockchain_height{channel}} and {@code gossip_leader_election_leader{channel}}
 * (1 while this peer is the channel's leader, or a static leader, else 0).
 */
final class PeerMetrics {

    private PeerMetrics() {
    }

    static void register(PrometheusRegistry registry, Supplier<PeerStatus> status) {
        GaugeWithCallback.builder()
                .name("ledger_blockchain_height")
                .help("Height of the chain in blocks.")
                .labelNames("channel")
                .callback(cb -> status.get().channels().forEach(c -> cb.call(c.height(), c.channel())))
                .register(registry);
        GaugeWithCallback.builder()
                .name("gossip_leader_election_leader")
                .help("Peer is leader (1) or follower (0).")
                .labelNames("channel")
                .callback(cb -> status.get().channels().forEach(c -> cb.call(c.leader() ? 1 : 0, c.channel())))
                .register(registry);
    }
}
