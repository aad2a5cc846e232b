package io.fabsim.deliver;

import io.fabsim.common.crypto.Signer;
import io.fabsim.common.time.Clock;
import io.fabsim.common.time.Scheduler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Pulls blocks of the channels this peer leads from the ordering service (Fabric's
 * {@code deliverservice.DeliverService}): one loop thread per channel between
 * {@link #startDeliverForChannel} and {@link #stopDeliverForChannel}. Thread-safe.
 *
 * <p>The finalizer given at start runs once, on the loop's thread, when the loop ends by itself:
 * an elected leader gave up after {@code reconnectTotalTimeThreshold}, or the ledger or the signer
 * failed. Peer-node passes "yield leadership" as the finalizer. It does not run when delivery is
 * stopped by {@link #stopDeliverForChannel} or {@link #stop} (in Fabric it would then be a no-op yield).
 */
public final class DeliveryService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DeliveryService.class);
    /** How long a stop waits for a channel's loop thread to end. */
    static final Duration STOP_WAIT = Duration.ofSeconds(1);

    private final DeliverContext ctx;
    private final BlockVerifierFactory verifiers;
    private final Map<String, Running> providers = new HashMap<>();
    private final Map<String, Standby> standbys = new HashMap<>();
    /** Dials the warm standby connections; present when they are on. */
    private final Optional<Scheduler> standbyDials;
    private boolean stopping;

    private record Running(Deliverer deliverer, Thread thread) {
    }

    private DeliveryService(DeliverContext ctx, BlockVerifierFactory verifiers) {
        this.ctx = ctx;
        this.verifiers = verifiers;
        // made here, so that its thread carries the MDC (peer) of the thread that builds the service
        this.standbyDials = ctx.config().warmStandby() ? Optional.of(ctx.clock().newScheduler("deliver-standby"))
                : Optional.empty();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts pulling {@code channel}'s blocks from {@code ledgerInfo}'s height on. Fails when the
     * channel's loop is already running, the service is stopping, or no channel config is known. A
     * channel whose loop ended by itself (gave up, ledger or signer error) may be started again
     * without a stop first (in Fabric it would need {@code StopDeliverForChannel} first).
     */
    public void startDeliverForChannel(String channel, LedgerInfo ledgerInfo, Runnable finalizer)
            throws DeliveryServiceException {
        Objects.requireNonNull(ledgerInfo, "ledgerInfo");
        Objects.requireNonNull(finalizer, "finalizer");
        synchronized (this) {
            if (stopping) {
                throw refused("Delivery service is stopping cannot join a new channel " + channel);
            }
            Running previous = providers.get(channel);
            if (previous != null && previous.thread().isAlive()) {
                throw refused("Delivery service - block provider already exists for " + channel + " found, can't start delivery");
            }
            if (previous != null) {
                log.info("The previous delivery for channel {} had ended ({}); starting it again", channel,
                        previous.deliverer().end());
            }
            BlockVerifier verifier = verifiers.forChannel(channel).orElseThrow(
                    () -> refused("Delivery service - no channel config for " + channel + ", can't start delivery"));
            log.info("This peer will retrieve blocks from ordering service and disseminate to other peers in the "
                    + "organization for channel {}", channel);
            Optional<Standby> standby = Optional.ofNullable(standbys.get(channel));
            Deliverer deliverer = new Deliverer(channel, ledgerInfo, verifier, ctx, MDC.getCopyOfContextMap(), standby);
            Thread thread = new Thread(() -> runLoop(deliverer, finalizer, standby), "deliver-client-" + channel);
            thread.setDaemon(true);
            providers.put(channel, new Running(deliverer, thread));
            thread.start();
        }
    }

    /**
     * Stops pulling {@code channel}'s blocks; returns once its loop ended (or after one second). Fails
     * when the channel was never started (or already stopped); a loop that ended by itself is fine.
     */
    public void stopDeliverForChannel(String channel) throws DeliveryServiceException {
        Running running;
        synchronized (this) {
            if (stopping) {
                throw refused("Delivery service is stopping, cannot stop delivery for channel " + channel);
            }
            running = providers.remove(channel);
            if (running == null) {
                throw refused("Delivery service - no block provider for " + channel + " found, can't stop delivery");
            }
        }
        running.deliverer().stop();
        await(List.of(running));
        log.debug("This peer will stop passing blocks from orderer service to other peers for channel {}", channel);
    }

    /** Whether {@code channel}'s deliver loop runs (started, not stopped, and not ended by itself). */
    public synchronized boolean isDelivering(String channel) {
        Running running = providers.get(channel);
        return running != null && running.thread().isAlive();
    }

    /**
     * The orderer endpoint {@code channel}'s Deliver stream is open to (connected, seek sent), empty
     * while the loop dials, waits to retry, or does not run.
     */
    public synchronized Optional<String> streamingFrom(String channel) {
        Running running = providers.get(channel);
        return running == null ? Optional.empty() : running.deliverer().streamingFrom();
    }

    /**
     * Keeps a warm standby connection to one of {@code channel}'s orderers while this peer does not
     * deliver it (fabsim's {@code peer.deliveryclient.fabsim.warmStandby}; nothing when that is off):
     * the next {@link #startDeliverForChannel} sends its SeekInfo on it instead of dialling. For a peer
     * that may be elected; call it before joining the election. Until {@link #stopWarm}.
     */
    public void keepWarm(String channel) {
        if (standbyDials.isEmpty()) {
            return;
        }
        Standby standby;
        synchronized (this) {
            if (stopping || standbys.containsKey(channel)) {
                return;
            }
            standby = new Standby(channel, ctx, verifiers, standbyDials.get());
            standbys.put(channel, standby);
        }
        standby.start();
    }

    /** Closes {@code channel}'s warm standby connection (the peer leaves the channel); idempotent. */
    public void stopWarm(String channel) {
        Standby standby;
        synchronized (this) {
            standby = standbys.remove(channel);
        }
        if (standby != null) {
            standby.close();
        }
    }

    /** Stops every channel and standby connection and refuses new ones; returns once the loops ended (or after one second). */
    public void stop() {
        List<Running> all;
        List<Standby> warm;
        synchronized (this) {
            stopping = true;
            all = List.copyOf(providers.values());
            providers.clear();
            warm = List.copyOf(standbys.values());
            standbys.clear();
        }
        warm.forEach(Standby::close);
        standbyDials.ifPresent(Scheduler::close);
        all.forEach(r -> r.deliverer().stop());
        await(all);
    }

    @Override
    public void close() {
        stop();
    }

    private void runLoop(Deliverer deliverer, Runnable finalizer, Optional<Standby> standby) {
        deliverer.run();
        standby.ifPresent(Standby::release);
        Deliverer.End end = deliverer.end();
        if (end != Deliverer.End.STOPPED && !deliverer.stopping()) {
            try {
                finalizer.run();
            } catch (RuntimeException e) {
                log.warn("Deliver finalizer failed: {}", e.toString());
            }
        }
    }

    private static void await(List<Running> runs) {
        for (Running r : runs) {
            if (r.thread() == Thread.currentThread()) {
                continue;
            }
            try {
                r.thread().join(STOP_WAIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (r.thread().isAlive()) {
                log.warn("Deliver loop thread {} did not end within {}", r.thread().getName(), STOP_WAIT);
            }
        }
    }

    private static DeliveryServiceException refused(String message) {
        log.error(message);
        return new DeliveryServiceException(message);
    }

    /** Wires a {@link DeliveryService}; every setter but {@code random} and {@code metrics} is required. */
    public static final class Builder {
        private DeliverClientConfig config = DeliverClientConfig.defaults();
        private Clock clock = Clock.system();
        private Dialer dialer;
        private Signer signer;
        private BlockSink blockSink;
        private BlockVerifierFactory verifiers;
        private PrometheusRegistry registry;
        private RandomGenerator random;
        private boolean staticLeader;

        private Builder() {
        }

        public Builder config(DeliverClientConfig config) {
            this.config = config;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder dialer(Dialer dialer) {
            this.dialer = dialer;
            return this;
        }

        public Builder signer(Signer signer) {
            this.signer = signer;
            return this;
        }

        public Builder blockSink(BlockSink blockSink) {
            this.blockSink = blockSink;
            return this;
        }

        public Builder blockVerifiers(BlockVerifierFactory verifiers) {
            this.verifiers = verifiers;
            return this;
        }

        /** Where the {@code deliver_client_*} metrics are registered; a private registry when unset. */
        public Builder metrics(PrometheusRegistry registry) {
            this.registry = registry;
            return this;
        }

        /** The source of the random endpoint choice, shared by all channels: must be thread-safe (tests pass a seeded {@code java.util.Random}). */
        public Builder random(RandomGenerator random) {
            this.random = random;
            return this;
        }

        /**
         * True for a static leader ({@code peer.gossip.orgLeader}): it never gives up. False (the
         * default) for an elected leader: past {@code reconnectTotalTimeThreshold} it stops and runs
         * the finalizer that yields leadership.
         */
        public Builder staticLeader(boolean staticLeader) {
            this.staticLeader = staticLeader;
            return this;
        }

        public DeliveryService build() {
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(dialer, "dialer");
            Objects.requireNonNull(signer, "signer");
            Objects.requireNonNull(blockSink, "blockSink");
            Objects.requireNonNull(verifiers, "blockVerifiers");
            DeliverMetrics metrics = new DeliverMetrics(registry == null ? new PrometheusRegistry() : registry, clock);
            RandomGenerator r = random == null ? new java.util.Random() : random;
            return new DeliveryService(new DeliverContext(config, clock, dialer, signer, blockSink, metrics, r, staticLeader),
                    verifiers);
        }
    }
}
