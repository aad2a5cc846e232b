package io.fabsim.deliver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabsim.deliver.testing.FakeDialer.Script;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The warm standby connection of a channel, on the manual clock and the scripted dialer. */
class StandbyTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Harness h = new Harness();

    @AfterEach
    void tearDown() {
        h.close();
    }

    /**
     * Scenario: the first standby dial fails; then the peer is elected, later renounces, then leaves
     * the channel. Expected: the dial is retried after the reconnect backoff (100 ms); the deliver
     * loop sends its SeekInfo on the standby connection without dialling; once the loop ends a new
     * standby connection is dialled; leaving closes it.
     */
    @Test
    void aStandbyConnectionIsRetriedWithBackoffTakenByTheLoopAndDialledAgainAfterIt() throws Exception {
        h.scripts(Script.dialFails(), Script.idle(), Script.idle()).build(DeliverClientConfig.defaults(), false);

        h.service.keepWarm(Harness.CHANNEL);
        h.clock.runDueTasks();
        assertThat(h.dialer.dials()).isEqualTo(1);
        h.clock.advance(Duration.ofMillis(99));
        assertThat(h.dialer.dials()).isEqualTo(1);
        h.clock.advance(Duration.ofMillis(1));
        assertThat(h.dialer.dials()).isEqualTo(2);
        assertThat(h.dialer.openConnections.get()).isEqualTo(1);

        h.service.startDeliverForChannel(Harness.CHANNEL, h.ledger, () -> { });
        await().atMost(WAIT).until(() -> h.dialer.sent.size() == 1);
        assertThat(h.dialer.dials()).isEqualTo(2);
        assertThat(h.service.streamingFrom(Harness.CHANNEL)).contains("orderer0:7050");

        h.service.stopDeliverForChannel(Harness.CHANNEL);
        await().atMost(WAIT).until(() -> {
            h.clock.runDueTasks();
            return h.dialer.dials() == 3;
        });
        assertThat(h.dialer.openConnections.get()).isEqualTo(1);

        h.service.stopWarm(Harness.CHANNEL);
        assertThat(h.dialer.openConnections.get()).isZero();
        h.clock.advance(Duration.ofSeconds(10));
        assertThat(h.dialer.dials()).isEqualTo(3);
    }

    /** Scenario: warm standby off (the fabric-exact profile). Expected: keepWarm dials nothing. */
    @Test
    void withWarmStandbyOffNothingIsDialled() {
        h.build(DeliverClientConfig.defaults().withWarmStandby(false), false);
        h.service.keepWarm(Harness.CHANNEL);
        h.clock.advance(Duration.ofSeconds(10));
        assertThat(h.dialer.dials()).isZero();
    }
}
