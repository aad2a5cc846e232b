package io.fabsim.gossip;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The gossip module's Prometheus metrics, registered once per process in the registry peer-node
 * passes in. Names follow Fabric where Fabric has the metric ({@code gossip_state_height},
 * {@code gossip_payload_buffer_size}, {@code gossip_state_commit_duration},
 * {@code ledger_blockchain_height}, {@code gossip_membership_total_peers_known},
 * {@code gossip_comm_overflow_count}); the block and state-request counters are fabsim's own.
 */
public final class GossipMetrics {

    private final Gauge stateHeight;
    private final Gauge ledgerHeight;
    private final Gauge bufferSize;
    private final Histogram commitDuration;
    private final Counter pushed;
    private final Counter received;
    private final Counter duplicate;
    private final Counter rejected;
    private final Counter requestsSent;
    private final Counter requestsServed;
    private final Gauge membership;
    private final Counter overflow;
    private final Counter dropped;

    public GossipMetrics(PrometheusRegistry registry) {
        stateHeight = gauge(registry, "gossip_state_height", "Current ledger height of the channel, as gossip sees it");
        ledgerHeight = gauge(registry, "ledger_blockchain_height", "Height of the chain in blocks");
        bufferSize = gauge(registry, "gossip_payload_buffer_size", "Blocks waiting in the payload buffer");
        commitDuration = Histogram.builder().name("gossip_state_commit_duration")
                .help("Time to verify and commit a block, in seconds").labelNames("channel")
                .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
                .register(registry);
        pushed = counter(registry, "gossip_blocks_pushed", "Block copies pushed to org peers");
        received = counter(registry, "gossip_blocks_received", "Block copies received from org peers");
        duplicate = counter(registry, "gossip_blocks_duplicate", "Block copies dropped as already seen or committed");
        rejected = counter(registry, "gossip_blocks_rejected", "Blocks that failed verification");
        requestsSent = counter(registry, "gossip_state_requests_sent", "RemoteStateRequests sent");
        requestsServed = counter(registry, "gossip_state_requests_served", "RemoteStateRequests answered");
        membership = gauge(registry, "gossip_membership_total_peers_known", "Org peers connected on this channel");
        overflow = Counter.builder().name("gossip_comm_overflow_count")
                .help("Messages dropped because a peer's send queue was full").register(registry);
        dropped = Counter.builder().name("gossip_messages_dropped")
                .help("Gossip messages dropped as invalid (bad signature, forged PKI-ID, unknown channel MAC, "
                        + "wrong organization, malformed)").labelNames("reason").register(registry);
    }

    /** Metrics in a private registry, for tests and tools that do not export them. */
    public static GossipMetrics unexported() {
        return new GossipMetrics(new PrometheusRegistry());
    }

    /** The data points of one channel. */
    public Channel channel(String channelId) {
        return new Channel(stateHeight.labelValues(channelId), ledgerHeight.labelValues(channelId),
                bufferSize.labelValues(channelId), commitDuration.labelValues(channelId),
                new Counters(pushed.labelValues(channelId), received.labelValues(channelId),
                        duplicate.labelValues(channelId), rejected.labelValues(channelId),
                        requestsSent.labelValues(channelId), requestsServed.labelValues(channelId)),
                membership.labelValues(channelId));
    }

    /** Counts one message dropped on a full send queue. */
    public void overflow() {
        overflow.inc();
    }

    /** Counts one received message dropped as invalid; {@code reason} is a short fixed word (label value). */
    public void dropped(String reason) {
        dropped.labelValues(reason).inc();
    }

    public double droppedCount(String reason) {
        return dropped.labelValues(reason).get();
    }

    public double overflowCount() {
        return overflow.get();
    }

    /** The per-channel block and request counters. */
    public record Counters(CounterDataPoint pushed, CounterDataPoint received, CounterDataPoint duplicate,
            CounterDataPoint rejected, CounterDataPoint requestsSent, CounterDataPoint requestsServed) {
    }

    /** The data points of one channel. */
    public record Channel(GaugeDataPoint stateHeight, GaugeDataPoint ledgerHeight, GaugeDataPoint bufferSize,
            DistributionDataPoint commitDuration, Counters counters, GaugeDataPoint membership) {
    }

    private static Gauge gauge(PrometheusRegistry registry, String name, String help) {
        return Gauge.builder().name(name).help(help).labelNames("channel").register(registry);
    }

    private static Counter counter(PrometheusRegistry registry, String name, String help) {
        return Counter.builder().name(name).help(help).labelNames("channel").register(registry);
    }
}
