package io.fabsim.deliverserver;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Fabric's Deliver metrics ({@code common/deliver/metrics.go}), same names and labels:
 * {@code deliver_streams_opened}, {@code deliver_streams_closed},
 * {@code deliver_requests_received{channel,filtered,data_type}},
 * {@code deliver_requests_completed{channel,filtered,data_type,success}},
 * {@code deliver_blocks_sent{channel,filtered,data_type}}. (The Prometheus text format adds the
 * counter suffix {@code _total}.)
 */
public final class DeliverMetrics {

    final Counter streamsOpened;
    final Counter streamsClosed;
    final Counter requestsReceived;
    final Counter requestsCompleted;
    final Counter blocksSent;

    public DeliverMetrics(PrometheusRegistry registry) {
        streamsOpened = Counter.builder().name("deliver_streams_opened")
                .help("The number of GRPC streams that have been opened for the deliver service.").register(registry);
        streamsClosed = Counter.builder().name("deliver_streams_closed")
                .help("The number of GRPC streams that have been closed for the deliver service.").register(registry);
        requestsReceived = Counter.builder().name("deliver_requests_received")
                .help("The number of deliver requests that have been received.")
                .labelNames("channel", "filtered", "data_type").register(registry);
        requestsCompleted = Counter.builder().name("deliver_requests_completed")
                .help("The number of deliver requests that have been completed.")
                .labelNames("channel", "filtered", "data_type", "success").register(registry);
        blocksSent = Counter.builder().name("deliver_blocks_sent")
                .help("The number of blocks sent by the deliver service.")
                .labelNames("channel", "filtered", "data_type").register(registry);
    }

    /** Metrics registered in a private registry (tests, benchmarks). */
    public static DeliverMetrics unregistered() {
        return new DeliverMetrics(new PrometheusRegistry());
    }

    public long streamsOpened() {
        return (long) streamsOpened.get();
    }

    public long streamsClosed() {
        return (long) streamsClosed.get();
    }

    public long requestsReceived(String channel, boolean filtered, String dataType) {
        return (long) requestsReceived.labelValues(channel, Boolean.toString(filtered), dataType).get();
    }

    public long requestsCompleted(String channel, boolean filtered, String dataType, boolean success) {
        return (long) requestsCompleted.labelValues(channel, Boolean.toString(filtered), dataType,
                Boolean.toString(success)).get();
    }

    public long blocksSent(String channel, boolean filtered, String dataType) {
        return (long) blocksSent.labelValues(channel, Boolean.toString(filtered), dataType).get();
    }
}
