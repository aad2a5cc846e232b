package io.fabsim.deliver;

import io.fabsim.common.log.Mdc;
import io.fabsim.common.time.GoDurations;
import io.fabsim.common.time.Scheduler;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One channel's warm standby connection (fabsim's {@code peer.deliveryclient.fabsim.warmStandby}):
 * while this peer may be elected but does not lead, a connection to one of the channel's orderers,
 * chosen as the deliver loop chooses (a random endpoint of the channel config after the address
 * overrides), is kept open without a stream. When the peer is elected, the deliver loop
 * {@link #take()}s it and sends its SeekInfo at once; when the loop ends, {@link #release()} dials a
 * new one. A connection that breaks is re-dialled after the reconnect backoff (100 ms, 120 ms, ...).
 *
 * <p>Dials run on the deliver service's standby scheduler, never on the caller's thread; every state
 * change is under {@code this}.
 */
final class Standby {

    private static final Logger log = LoggerFactory.getLogger(Standby.class);

    /** A ready connection handed to the deliver loop, and the orderer address it goes to. */
    record Warm(OrdererConnection connection, String address) {
    }

    private final String channel;
    private final DeliverContext ctx;
    private final BlockVerifierFactory verifiers;
    private final Scheduler scheduler;

    private Warm warm;
    private boolean taken;
    private boolean closed;
    private boolean dialScheduled;
    private int failures;

    Standby(String channel, DeliverContext ctx, BlockVerifierFactory verifiers, Scheduler scheduler) {
        this.channel = channel;
        this.ctx = ctx;
        this.verifiers = verifiers;
        this.scheduler = scheduler;
        ctx.metrics().standbyReady(channel, false);
    }

    /** Dials the first connection (on the scheduler). */
    synchronized void start() {
        scheduleDial(Duration.ZERO);
    }

    /**
     * Hands the connection over when it is open and ready; until {@link #release()} no other one is
     * dialled. Empty when there is none (still dialling, broken): the loop then dials as usual.
     */
    Optional<Warm> take() {
        Warm w;
        synchronized (this) {
            taken = true;
            w = warm;
            warm = null;
        }
        ctx.metrics().standbyReady(channel, false);
        if (w != null && !w.connection().isReady()) {
            log.info("Standby connection to {} for channel {} is not ready; dialling instead", w.address(), channel);
            w.connection().close();
            return Optional.empty();
        }
        return Optional.ofNullable(w);
    }

    /** The deliver loop ended: keep a connection warm again. */
    synchronized void release() {
        taken = false;
        failures = 0;
        if (warm == null) {
            scheduleDial(Duration.ZERO);
        }
    }

    /** Closes the connection and dials no more (the peer left the channel or stops). */
    void close() {
        Warm w;
        synchronized (this) {
            closed = true;
            w = warm;
            warm = null;
        }
        if (w != null) {
            w.connection().close();
        }
        ctx.metrics().standbyClosed(channel);
    }

    private void scheduleDial(Duration delay) {
        if (closed || taken || dialScheduled) {
            return;
        }
        dialScheduled = true;
        scheduler.schedule(delay, Mdc.wrap(Mdc.CHANNEL, channel, this::dial));
    }

    private void dial() {
        synchronized (this) {
            dialScheduled = false;
            if (closed || taken || warm != null) {
                return;
            }
        }
        Optional<OrdererEndpoint> endpoint = endpoint();
        if (endpoint.isEmpty()) {
            failed("no orderer endpoints in the channel config");
            return;
        }
        OrdererConnection connection;
        try {
            ctx.metrics().dialed(channel, "standby");
            connection = ctx.dialer().dial(endpoint.get(), ctx.config().connTimeout());
        } catch (DeliverTransportException e) {
            failed(e.getMessage());
            return;
        }
        Warm w = new Warm(connection, endpoint.get().address());
        synchronized (this) {
            if (closed || taken) {
                connection.close();
                return;
            }
            warm = w;
            failures = 0;
        }
        ctx.metrics().standbyReady(channel, true);
        log.info("Standby connection to ordering service {} open for channel {}", w.address(), channel);
        connection.onBroken(() -> scheduler.schedule(Duration.ZERO, Mdc.wrap(Mdc.CHANNEL, channel, () -> broken(w))));
    }

    private Optional<OrdererEndpoint> endpoint() {
        Optional<BlockVerifier> verifier = verifiers.forChannel(channel);
        if (verifier.isEmpty()) {
            return Optional.empty();
        }
        ConnectionSource source = new ConnectionSource(ctx.random(), ctx.config().addressOverrides());
        source.update(verifier.get().ordererAddresses());
        return source.randomEndpoint(null).map(ConnectionSource.Endpoint::endpoint);
    }

    private void broken(Warm w) {
        synchronized (this) {
            if (warm != w) {
                return; // taken or closed meanwhile: no longer ours to watch
            }
            warm = null;
        }
        w.connection().close();
        ctx.metrics().standbyReady(channel, false);
        failed("standby connection to " + w.address() + " broke");
    }

    private synchronized void failed(String reason) {
        if (closed) {
            return;
        }
        failures++;
        Duration sleep = ctx.config().backoff().next(failures);
        log.info("Standby connection for channel {} not open: {}; dialling again in {}", channel, reason,
                GoDurations.format(sleep));
        scheduleDial(sleep);
    }
}
