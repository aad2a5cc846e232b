package io.fabsim.deliver;

import io.fabsim.common.crypto.Signer;
import io.fabsim.common.time.Clock;
import java.util.random.RandomGenerator;

/** What every channel's deliver loop of one {@link DeliveryService} shares. */
record DeliverContext(
        DeliverClientConfig config,
        Clock clock,
        Dialer dialer,
        Signer signer,
        BlockSink sink,
        DeliverMetrics metrics,
        RandomGenerator random,
        boolean staticLeader) {
}
