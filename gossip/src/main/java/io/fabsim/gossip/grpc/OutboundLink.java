package io.fabsim.gossip.grpc;

import io.fabsim.common.config.HostPort;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.hyperledger.fabric.protos.gossip.GossipGrpc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This peer's stream to one member endpoint: dialed when membership names the endpoint and no
 * stream is up, re-dialed every {@code reconnectInterval} while the peer is unreachable, closed
 * when the endpoint leaves membership. An endpoint that turns out to be this peer itself is not
 * dialed again.
 */
final class OutboundLink {

    private static final Logger log = LoggerFactory.getLogger(OutboundLink.class);

    static final java.time.Duration KEEPALIVE_TIME = java.time.Duration.ofSeconds(60);
    static final java.time.Duration KEEPALIVE_TIMEOUT = java.time.Duration.ofSeconds(20);

    private final GrpcGossipTransport transport;
    private final HostPort endpoint;
    private ManagedChannel channel;
    private volatile Connection connection;
    private volatile boolean dialing;
    private volatile boolean self;
    private volatile boolean closed;
    private boolean reportedUnreachable;

    OutboundLink(GrpcGossipTransport transport, HostPort endpoint) {
        this.transport = transport;
        this.endpoint = endpoint;
    }

    /** Called by the maintenance thread only. */
    void dialIfIdle() {
        Connection current = connection;
        if (closed || self || dialing || (current != null && !current.closed())) {
            return;
        }
        try {
            dial();
        } catch (SSLException | RuntimeException e) {
            dialing = false;
            log.warn("cannot dial gossip endpoint {}: {}", endpoint, e.getMessage());
        }
    }

    private void dial() throws SSLException {
        GrpcGossipTransport.Setup setup = transport.setup();
        if (channel == null) {
            NettyChannelBuilder builder = NettyChannelBuilder.forAddress(endpoint.host(), endpoint.port())
                    .maxInboundMessageSize(setup.maxMessageBytes()).intercept(TlsSessions.clientInterceptor())
                    // a paused or cut-off peer is noticed within keepAliveTime + keepAliveTimeout (gRPC's
                    // keepalive: real time)
                    .keepAliveTime(KEEPALIVE_TIME.toMillis(), TimeUnit.MILLISECONDS)
                    .keepAliveTimeout(KEEPALIVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .keepAliveWithoutCalls(false);
            if (setup.tls().isPresent()) {
                builder.sslContext(TlsSessions.clientContext(setup.tls().get()));
            } else {
                builder.usePlaintext();
            }
            channel = builder.build();
        }
        dialing = true;
        AtomicReference<ClientCall<?, ?>> call = new AtomicReference<>();
        Responses responses = new Responses(call);
        GossipGrpc.newStub(channel).withOption(TlsSessions.CALL, call).gossipStream(responses);
        Connection c = responses.connection;
        connection = c;
        c.enqueue(transport.handshake().connEstablish());
        transport.scheduler().schedule(setup.config().dialTimeout(), () -> {
            if (!c.authenticated() && !c.closed()) {
                c.close(Status.DEADLINE_EXCEEDED.withDescription("no handshake in time"));
                dialing = false;
            }
        });
    }

    void close() {
        closed = true;
        Connection c = connection;
        if (c != null) {
            c.close(Status.CANCELLED.withDescription("left membership"));
            transport.unregister(c);
        }
        if (channel != null) {
            channel.shutdownNow();
        }
    }

    private final class Responses implements ClientResponseObserver<Envelope, Envelope> {

        private final AtomicReference<ClientCall<?, ?>> call;
        private Connection connection;

        Responses(AtomicReference<ClientCall<?, ?>> call) {
            this.call = call;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<Envelope> requests) {
            GrpcGossipTransport.Setup setup = transport.setup();
            connection = new Connection(true, endpoint.toString(), requests, setup.config().sendBuffSize(),
                    setup.metrics());
            requests.setOnReadyHandler(connection::drain);
        }

        @Override
        public void onNext(Envelope envelope) {
            transport.inPeer(() -> received(envelope));
        }

        private void received(Envelope envelope) {
            if (connection.closed()) {
                return;
            }
            if (connection.authenticated()) {
                transport.dispatch(connection, envelope);
                return;
            }
            dialing = false;
            try {
                byte[] serverCert = TlsSessions.peerCertificate(call.get());
                connection.authenticated(transport.handshake().verify(envelope, serverCert, endpoint.toString()));
            } catch (HandshakeException e) {
                log.warn("refused connection to {}: {}", endpoint, e.getMessage());
                connection.close(Status.PERMISSION_DENIED.withDescription("handshake refused"));
                return;
            }
            reportedUnreachable = false;
            if (!transport.register(connection)) {
                self = true;
                log.debug("gossip endpoint {} is this peer itself; not dialing it", endpoint);
            }
        }

        @Override
        public void onError(Throwable t) {
            transport.inPeer(() -> ended(Status.fromThrowable(t)));
        }

        @Override
        public void onCompleted() {
            transport.inPeer(() -> ended(Status.OK));
        }

        private void ended(Status status) {
            dialing = false;
            boolean wasUp = connection.authenticated();
            if (GossipStreamService.SELF.equals(status.getDescription())) {
                self = true;
                log.debug("gossip endpoint {} is this peer itself; not dialing it", endpoint);
                return;
            }
            transport.unregister(connection);
            if (!wasUp && !closed && !reportedUnreachable) {
                reportedUnreachable = true;
                log.info("gossip endpoint {} unreachable ({}); retrying every {}", endpoint, status.getCode(),
                        transport.setup().config().reconnectInterval());
            }
        }
    }
}
