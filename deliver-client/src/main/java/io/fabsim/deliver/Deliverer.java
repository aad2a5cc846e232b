package io.fabsim.deliver;

import io.fabsim.common.time.GoDurations;
import io.fabsim.deliver.ConnectionSource.Endpoint;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One channel's pull loop (Fabric's {@code Deliverer.DeliverBlocks}): read the ledger height, sign a
 * SeekInfo, pick an orderer, dial, send, and receive until the stream fails, the endpoints are
 * refreshed or delivery is stopped; back off between failed attempts; give up (elected leader) or
 * keep trying (static leader) once the total backoff passes {@code reconnectTotalTimeThreshold}.
 */
final class Deliverer implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(Deliverer.class);

    /** How a loop ended: asked to stop, gave up after the total threshold, or a fatal local error. */
    enum End { STOPPED, GAVE_UP, FATAL }

    private enum Kind { FAILED, REFRESHED, STOPPED }

    private record Outcome(Kind kind, String reason) {
        static final Outcome STOPPED = new Outcome(Kind.STOPPED, "stopped");
        static final Outcome REFRESHED = new Outcome(Kind.REFRESHED, "endpoints refreshed");

        static Outcome failed(String reason) {
            return new Outcome(Kind.FAILED, reason);
        }
    }

    private final String channel;
    private final LedgerInfo ledger;
    private final BlockVerifier verifier;
    private final DeliverContext ctx;
    private final ConnectionSource orderers;
    private final ChainCursor cursor;
    private final SeekInfoEnvelopes envelopes;
    private final Backoff backoff;
    private final Map<String, String> mdc;
    private final BlockHandoff handoff;
    private final Optional<Standby> standby;

    private final Object lock = new Object();
    private volatile boolean stopping;
    private Thread thread;
    private OrdererConnection currentConnection;
    private DeliverStream currentStream;
    private volatile End end;
    /** The orderer endpoint whose Deliver stream is open (the seek sent), or null. */
    private volatile String streamingFrom;

    private int failures;
    private Duration totalSleep = Duration.ZERO;
    private String avoid;
    /** Whether the current stream has passed a block on yet (its first one is logged). */
    private boolean blockOnStream;

    Deliverer(String channel, LedgerInfo ledger, BlockVerifier verifier, DeliverContext ctx, Map<String, String> mdc) {
        this(channel, ledger, verifier, ctx, mdc, Optional.empty());
    }

    /** With {@code standby}: the first session uses its warm connection when it has one. */
    Deliverer(String channel, LedgerInfo ledger, BlockVerifier verifier, DeliverContext ctx, Map<String, String> mdc,
            Optional<Standby> standby) {
        this.channel = channel;
        this.ledger = ledger;
        this.verifier = verifier;
        this.ctx = ctx;
        this.mdc = mdc;
        this.orderers = new ConnectionSource(ctx.random(), ctx.config().addressOverrides());
        this.orderers.update(verifier.ordererAddresses());
        this.cursor = new ChainCursor(channel);
        this.envelopes = new SeekInfoEnvelopes(channel, ctx.signer(), ctx.clock(), ctx.dialer().clientCertificateHash());
        this.backoff = ctx.config().backoff();
        this.handoff = new BlockHandoff(channel, verifier, cursor, ctx, orderers);
        this.standby = standby;
    }

    /** Runs the loop on the calling thread until it ends; {@link #end()} then says how it ended. */
    @Override
    public void run() {
        synchronized (lock) {
            thread = Thread.currentThread();
        }
        if (mdc != null) {
            MDC.setContextMap(mdc);
        }
        MDC.put("channel", channel);
        ctx.metrics().started(channel);
        try {
            end = loop();
        } finally {
            ctx.metrics().stopped(channel);
            closeCurrent();
            log.info("Deliverer for channel {} stopped ({})", channel, end == null ? "error" : end.name().toLowerCase());
            MDC.clear();
        }
    }

    End end() {
        return end;
    }

    /** Asks the loop to end: closes the current stream and connection and interrupts any sleep. */
    void stop() {
        Thread t;
        synchronized (lock) {
            if (stopping) {
                return;
            }
            stopping = true;
            t = thread;
        }
        closeCurrent();
        if (t != null && t != Thread.currentThread()) {
            t.interrupt();
        }
    }

    boolean stopping() {
        return stopping;
    }

    private End loop() {
        String lastFailure = null;
        boolean firstPass = true;
        while (!stopping) {
            if (failures > 0) {
                End ended = backOff(lastFailure);
                if (ended != null) {
                    return ended;
                }
            }
            long from;
            try {
                from = cursor.resumeFrom(ledger);
            } catch (LedgerInfoException | RuntimeException e) {
                log.error("Did not return ledger height, something is critically wrong; delivery for channel {} ends: {}",
                        channel, e.toString());
                return End.FATAL;
            }
            Optional<Standby.Warm> warm = firstPass ? standby.flatMap(Standby::take) : Optional.empty();
            firstPass = false;
            Endpoint endpoint = warm.flatMap(w -> orderers.find(w.address()))
                    .or(() -> orderers.randomEndpoint(avoid)).orElse(null);
            OrdererConnection connection = warmTo(warm, endpoint);
            if (endpoint == null) {
                lastFailure = "could not get orderer endpoints: no endpoints currently defined";
                failures++;
                continue;
            }
            Envelope seek;
            try {
                seek = envelopes.blocksFrom(from);
            } catch (RuntimeException e) {
                if (connection != null) {
                    connection.close();
                }
                log.error("Could not create a signed Deliver SeekInfo message, something is critically wrong; "
                        + "delivery for channel {} ends: {}", channel, e.toString());
                return End.FATAL;
            }
            Outcome outcome = session(endpoint, seek, from, connection);
            if (outcome.kind() == Kind.STOPPED || stopping) {
                return End.STOPPED;
            }
            ctx.metrics().reconnect(channel);
            if (outcome.kind() == Kind.REFRESHED) {
                log.info("Ordering endpoints have been refreshed, disconnecting from {} to reconnect using updated endpoints",
                        endpoint);
            } else {
                lastFailure = "orderer " + endpoint + ": " + outcome.reason();
                avoid = endpoint.address();
                failures++;
            }
        }
        return End.STOPPED;
    }

    /** The warm connection when it goes to {@code endpoint}; else null, and it is closed (its orderer left the config). */
    private static OrdererConnection warmTo(Optional<Standby.Warm> warm, Endpoint endpoint) {
        if (warm.isEmpty()) {
            return null;
        }
        if (endpoint != null && warm.get().address().equals(endpoint.address())) {
            return warm.get().connection();
        }
        warm.get().connection().close();
        return null;
    }

    /**
     * Sleeps the backoff for the current failure count (one log line per reconnect), or returns how
     * the loop ends: an elected leader past {@code reconnectTotalTimeThreshold} gives up; a stop
     * during the sleep ends it. Returns null to go on.
     */
    private End backOff(String lastFailure) {
        Duration sleep = backoff.next(failures);
        totalSleep = totalSleep.plus(sleep);
        boolean exceeded = totalSleep.compareTo(ctx.config().reconnectTotalTimeThreshold()) > 0;
        if (exceeded && !ctx.staticLeader()) {
            log.warn("Attempted to retry block delivery for more than peer.deliveryclient.reconnectTotalTimeThreshold "
                    + "duration ({}), giving up and yielding leadership for channel {}; last failure: {}",
                    GoDurations.format(ctx.config().reconnectTotalTimeThreshold()), channel, lastFailure);
            return End.GAVE_UP;
        }
        log.warn("Disconnected from ordering service: {}. Attempt to re-connect in {}, totalDuration is {}{}",
                lastFailure, GoDurations.format(sleep), GoDurations.format(totalSleep), exceeded
                        ? "; peer is a static leader, ignoring peer.deliveryclient.reconnectTotalTimeThreshold" : "");
        try {
            ctx.clock().sleep(sleep);
        } catch (InterruptedException e) {
            return End.STOPPED;
        }
        return stopping ? End.STOPPED : null;
    }

    /** One stream: dials {@code endpoint} unless {@code warm} (a standby connection to it) is given. */
    private Outcome session(Endpoint endpoint, Envelope seek, long from, OrdererConnection warm) {
        try {
            long dialStart = ctx.clock().nanoTime();
            OrdererConnection connection = warm;
            if (connection == null) {
                ctx.metrics().dialed(channel, "deliver");
                connection = ctx.dialer().dial(endpoint.endpoint(), ctx.config().connTimeout());
            }
            String how = warm != null ? "standby connection" : "dialled in "
                    + Duration.ofNanos(ctx.clock().nanoTime() - dialStart).toMillis() + " ms";
            if (!register(connection, null)) {
                return Outcome.STOPPED;
            }
            DeliverStream stream;
            try {
                stream = connection.openDeliver();
            } catch (DeliverTransportException e) {
                return Outcome.failed("could not create deliver client: " + e.getMessage());
            }
            if (!register(connection, stream)) {
                return Outcome.STOPPED;
            }
            try {
                stream.send(seek);
            } catch (DeliverTransportException e) {
                return Outcome.failed("could not send deliver seek info handshake: " + e.getMessage());
            }
            ctx.metrics().connected(channel, endpoint.address());
            streamingFrom = endpoint.address();
            blockOnStream = false;
            log.info("Connected to ordering service {}, requesting blocks of channel {} from [{}] ({})", endpoint, channel,
                    from, how);
            return receive(endpoint, stream);
        } catch (DeliverTransportException e) {
            return stopping ? Outcome.STOPPED : Outcome.failed("could not dial endpoint: " + e.getMessage());
        } catch (InterruptedException e) {
            return Outcome.STOPPED;
        } catch (RuntimeException e) {
            return stopping ? Outcome.STOPPED : Outcome.failed("unexpected error: " + e);
        } finally {
            closeCurrent();
        }
    }

    private Outcome receive(Endpoint endpoint, DeliverStream stream) throws InterruptedException {
        while (true) {
            if (stopping) {
                return Outcome.STOPPED;
            }
            if (endpoint.refreshed()) {
                return Outcome.REFRESHED;
            }
            DeliverResponse response;
            try {
                response = stream.recv();
            } catch (DeliverTransportException e) {
                return stopping ? Outcome.STOPPED : Outcome.failed(e.getMessage());
            }
            String failure = process(response, endpoint);
            if (failure != null) {
                return Outcome.failed(failure);
            }
        }
    }

    /** Handles one response; returns null when the loop may continue, else why the stream must end. */
    private String process(DeliverResponse response, Endpoint endpoint) throws InterruptedException {
        switch (response.getTypeCase()) {
            case STATUS -> {
                return response.getStatus() == Status.SUCCESS
                        ? "received success for a seek that should never complete"
                        : "received bad status " + response.getStatus() + " from orderer";
            }
            case BLOCK -> {
                Block block = response.getBlock();
                String failure = handoff.handle(block, endpoint);
                if (failure == null && !blockOnStream) {
                    blockOnStream = true;
                    log.info("Received block [{}] of channel {} from ordering service {}, the first on this stream",
                            block.getHeader().getNumber(), channel, endpoint);
                }
                if (failure == null) {
                    failures = 0;
                    totalSleep = Duration.ZERO;
                    avoid = null;
                }
                return failure;
            }
            default -> {
                return "unknown message type " + response.getTypeCase();
            }
        }
    }

    private boolean register(OrdererConnection connection, DeliverStream stream) {
        synchronized (lock) {
            currentConnection = connection;
            currentStream = stream;
            if (!stopping) {
                return true;
            }
        }
        closeCurrent();
        return false;
    }

    /** The orderer endpoint this loop's Deliver stream is open to (seek sent), if one is open now. */
    Optional<String> streamingFrom() {
        return Optional.ofNullable(streamingFrom);
    }

    private void closeCurrent() {
        streamingFrom = null;
        OrdererConnection connection;
        DeliverStream stream;
        synchronized (lock) {
            connection = currentConnection;
            stream = currentStream;
            currentConnection = null;
            currentStream = null;
        }
        if (stream != null) {
            stream.closeSend();
            stream.cancel();
        }
        if (connection != null) {
            connection.close();
        }
        ctx.metrics().disconnected(channel);
    }
}
