package io.fabsim.deliver;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabsim.common.time.Clock;
import io.fabsim.deliver.testing.FakeDialer.Script;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeliveryServiceTest {

    private final Harness h = new Harness();

    @AfterEach
    void tearDown() {
        h.close();
        assertThat(h.dialer.openConnections.get()).isZero();
    }

    @Test
    void startingAChannelTwiceFails() throws Exception {
        h.start();
        assertThatThrownBy(() -> h.service.startDeliverForChannel(Harness.CHANNEL, h.ledger, () -> { }))
                .isInstanceOf(DeliveryServiceException.class)
                .hasMessage("Delivery service - block provider already exists for ch1 found, can't start delivery");
    }

    @Test
    void startingAnUnknownChannelOrStoppingOneNotStartedFails() throws Exception {
        h.start();
        assertThatThrownBy(() -> h.service.startDeliverForChannel("other", h.ledger, () -> { }))
                .isInstanceOf(DeliveryServiceException.class).hasMessageContaining("no channel config for other");
        assertThatThrownBy(() -> h.service.stopDeliverForChannel("other"))
                .isInstanceOf(DeliveryServiceException.class)
                .hasMessage("Delivery service - no block provider for other found, can't stop delivery");
    }

    @Test
    void startingOrStoppingWhileTheServiceIsStoppingFails() throws Exception {
        h.start();
        h.service.stop();
        assertThatThrownBy(() -> h.service.startDeliverForChannel(Harness.CHANNEL, h.ledger, () -> { }))
                .isInstanceOf(DeliveryServiceException.class)
                .hasMessage("Delivery service is stopping cannot join a new channel ch1");
        assertThatThrownBy(() -> h.service.stopDeliverForChannel(Harness.CHANNEL))
                .isInstanceOf(DeliveryServiceException.class).hasMessageContaining("is stopping");
    }

    @Test
    void stopEndsTheStreamAndTheLoopWithinASecondAndReleasesEverything() throws Exception {
        h.scripts(Script.blocks(h.blocks(5, 6))).start();
        await().atMost(10, SECONDS).until(() -> h.sink.blocks.size() == 2 && h.dialer.recvCalls.get() == 3);
        assertThat(Harness.loopAlive()).isTrue();
        assertThat(h.dialer.openConnections.get()).isEqualTo(1);

        long started = System.nanoTime();
        h.service.stopDeliverForChannel(Harness.CHANNEL);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1500));
        assertThat(Harness.loopAlive()).isFalse();
        assertThat(h.dialer.openConnections.get()).isZero();
        assertThat(h.service.isDelivering(Harness.CHANNEL)).isFalse();
        assertThat(h.finalized.get()).as("an explicit stop does not yield").isZero();

        h.service.startDeliverForChannel(Harness.CHANNEL, h.ledger, () -> { });
        assertThat(h.service.isDelivering(Harness.CHANNEL)).isTrue();
    }

    @Test
    void stopInterruptsARealBackoffSleep() throws Exception {
        h.scripts(Script.dialFails());
        h.service = DeliveryService.builder()
                .config(DeliverClientConfig.defaults().withBackoff(Duration.ofMinutes(10), Duration.ofHours(1), Duration.ofHours(2)))
                .clock(Clock.system()).dialer(h.dialer).signer(h.signer).blockSink(h.sink)
                .blockVerifiers(ch -> java.util.Optional.of(h.verifier)).build();
        h.service.startDeliverForChannel(Harness.CHANNEL, h.ledger, h.finalized::incrementAndGet);
        await().atMost(10, SECONDS).until(() -> h.dialer.dials() == 1);

        long started = System.nanoTime();
        h.service.stop();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1500));
        assertThat(Harness.loopAlive()).isFalse();
        assertThat(h.finalized.get()).isZero();
    }

    @Test
    void metricsCountBlocksReconnectsAndShowTheEndpointAndTheTimeSinceTheLastBlock() throws Exception {
        h.scripts(Script.blocks(h.blocks(5, 7)).thenRecvError("boom"), Script.blocks(h.blocks(8, 8))).start();
        await().atMost(10, SECONDS).until(() -> h.sink.blocks.size() == 4 && h.dialer.recvCalls.get() >= 6);
        h.clock.advance(Duration.ofSeconds(42));

        assertThat(counter("deliver_client_blocks_received")).isEqualTo(4);
        assertThat(counter("deliver_client_reconnects")).isEqualTo(1);
        GaugeSnapshot connected = (GaugeSnapshot) metric("deliver_client_connected");
        assertThat(connected.getDataPoints()).hasSize(1);
        assertThat(connected.getDataPoints().get(0).getLabels().get("endpoint")).isEqualTo("orderer1:7050");
        assertThat(connected.getDataPoints().get(0).getLabels().get("channel")).isEqualTo("ch1");
        GaugeSnapshot since = (GaugeSnapshot) metric("deliver_client_seconds_since_last_block");
        assertThat(since.getDataPoints().get(0).getValue()).isGreaterThanOrEqualTo(42.0);

        h.service.stopDeliverForChannel(Harness.CHANNEL);
        assertThat(((GaugeSnapshot) metric("deliver_client_connected")).getDataPoints()).isEmpty();
    }

    private MetricSnapshot metric(String name) {
        return h.registry.scrape().stream().filter(m -> m.getMetadata().getPrometheusName().equals(name)).findFirst().orElseThrow();
    }

    private double counter(String name) {
        List<? extends DataPointSnapshot> points = metric(name).getDataPoints();
        return points.stream().mapToDouble(p -> ((CounterSnapshot.CounterDataPointSnapshot) p).getValue()).sum();
    }
}
