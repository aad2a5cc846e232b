package io.fabsim.deliver;

import io.fabsim.common.time.Clock;
import io.fabsim.common.verify.InvalidBlockException;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The deliver client's Prometheus metrics, per channel. Fabric has no deliver-client metrics; the
 * names follow its {@code deliver_} namespace with a {@code deliver_client_} prefix:
 *
 * <ul>
 *   <li>{@code deliver_client_blocks_received_total{channel}}: blocks verified and passed on;</li>
 *   <li>{@code deliver_client_blocks_rejected_total{channel,reason}}: blocks that failed verification;</li>
 *   <li>{@code deliver_client_reconnects_total{channel}}: connections ended by a failure or a refresh;</li>
 *   <li>{@code deliver_client_connected{channel,endpoint}}: 1 for the orderer currently read from;</li>
 *   <li>{@code deliver_client_seconds_since_last_block{channel}}: since the last block passed on (or
 *       since delivery started);</li>
 *   <li>{@code deliver_client_dials_total{channel,purpose}}: connections dialled to an orderer, for a
 *       Deliver stream ({@code deliver}) or as the warm standby connection ({@code standby});</li>
 *   <li>{@code deliver_client_standby_ready{channel}}: 1 while the channel's warm standby connection
 *       is open and ready (fabsim's {@code peer.deliveryclient.fabsim.warmStandby}), else 0.</li>
 * </ul>
 */
final class DeliverMetrics {

    private final Clock clock;
    private final Counter blocksReceived;
    private final Counter blocksRejected;
    private final Counter reconnects;
    private final Gauge connected;
    private final Counter dials;
    private final Gauge standbyReady;
    private final Map<String, Long> lastBlockNanos = new ConcurrentHashMap<>();
    private final Map<String, String> currentEndpoint = new ConcurrentHashMap<>();

    DeliverMetrics(PrometheusRegistry registry, Clock clock) {
        this.clock = clock;
        blocksReceived = Counter.builder().name("deliver_client_blocks_received")
                .help("Blocks received from the ordering service, verified and passed on").labelNames("channel")
                .register(registry);
        blocksRejected = Counter.builder().name("deliver_client_blocks_rejected")
                .help("Blocks received from the ordering service that failed verification").labelNames("channel", "reason")
                .register(registry);
        reconnects = Counter.builder().name("deliver_client_reconnects")
                .help("Deliver connections ended by a failure or an endpoint refresh").labelNames("channel")
                .register(registry);
        connected = Gauge.builder().name("deliver_client_connected")
                .help("1 for the orderer endpoint the channel's deliver client currently reads from")
                .labelNames("channel", "endpoint").register(registry);
        dials = Counter.builder().name("deliver_client_dials")
                .help("Connections dialled to an orderer: for a Deliver stream (purpose deliver) or as the warm "
                        + "standby connection (purpose standby)")
                .labelNames("channel", "purpose").register(registry);
        standbyReady = Gauge.builder().name("deliver_client_standby_ready")
                .help("1 while the channel's warm standby connection to an orderer is open and ready, else 0")
                .labelNames("channel").register(registry);
        GaugeWithCallback.builder().name("deliver_client_seconds_since_last_block")
                .help("Seconds since the last block was received from the ordering service (or since delivery started)")
                .labelNames("channel")
                .callback(cb -> lastBlockNanos.forEach((ch, nanos) -> cb.call((clock.nanoTime() - nanos) / 1e9, ch)))
                .register(registry);
    }

    void started(String channel) {
        lastBlockNanos.put(channel, clock.nanoTime());
        blocksReceived.labelValues(channel);
        reconnects.labelValues(channel);
        dials.labelValues(channel, "deliver");
    }

    void stopped(String channel) {
        lastBlockNanos.remove(channel);
        disconnected(channel);
    }

    void blockReceived(String channel) {
        blocksReceived.labelValues(channel).inc();
        lastBlockNanos.put(channel, clock.nanoTime());
    }

    void blockRejected(String channel, InvalidBlockException.Reason reason) {
        blocksRejected.labelValues(channel, reason.name().toLowerCase(java.util.Locale.ROOT)).inc();
    }

    void reconnect(String channel) {
        reconnects.labelValues(channel).inc();
    }

    void connected(String channel, String endpoint) {
        disconnected(channel);
        currentEndpoint.put(channel, endpoint);
        connected.labelValues(channel, endpoint).set(1);
    }

    void disconnected(String channel) {
        String previous = currentEndpoint.remove(channel);
        if (previous != null) {
            connected.remove(channel, previous);
        }
    }

    /** {@code purpose}: {@code deliver} or {@code standby}. */
    void dialed(String channel, String purpose) {
        dials.labelValues(channel, purpose).inc();
    }

    void standbyReady(String channel, boolean ready) {
        standbyReady.labelValues(channel).set(ready ? 1 : 0);
    }

    void standbyClosed(String channel) {
        standbyReady.remove(channel);
    }
}
