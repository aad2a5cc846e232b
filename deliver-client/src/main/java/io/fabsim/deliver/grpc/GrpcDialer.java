package io.fabsim.deliver.grpc;

import com.google.protobuf.ByteString;
import io.fabsim.common.protoutil.BlockHashing;
import io.fabsim.deliver.DeliverClientConfig;
import io.fabsim.deliver.DeliverTransportException;
import io.fabsim.deliver.Dialer;
import io.fabsim.deliver.OrdererConnection;
import io.fabsim.deliver.OrdererEndpoint;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;

/**
 * Dials orderers over gRPC (grpc-netty-shaded): TLS trusting the endpoint's root CAs from the channel
 * config, the peer's client certificate under mutual TLS, Fabric's keepalive settings, a 100 MiB
 * message limit (Fabric's {@code peer.maxRecvMsgSize} default). A dial waits until the connection
 * is ready, fails, or the connection timeout passes. Stream callbacks run directly on the transport
 * thread (they only queue the response).
 */
public final class GrpcDialer implements Dialer {

    /** Fabric's default maximum message size (100 MiB). */
    public static final int MAX_MESSAGE_BYTES = 100 * 1024 * 1024;

    /** gRPC turns idle mode off for an idle timeout above 30 days. */
    private static final long IDLE_MODE_OFF_DAYS = 31;

    private final boolean tls;
    private final Optional<ClientTls> clientTls;
    private final Duration keepaliveInterval;
    private final Duration keepaliveTimeout;
    private final AtomicInteger open = new AtomicInteger();
    /** TLS contexts by the endpoint's CA list: a reconnect reuses one instead of rebuilding it. */
    private final Map<List<ByteString>, SslContext> contexts = new ConcurrentHashMap<>();

    private GrpcDialer(boolean tls, Optional<ClientTls> clientTls, DeliverClientConfig config) {
        this.tls = tls;
        this.clientTls = clientTls;
        this.keepaliveInterval = config.keepaliveInterval();
        this.keepaliveTimeout = config.keepaliveTimeout();
    }

    /** TLS, presenting {@code clientTls} when given (mutual TLS: its hash is bound into requests). */
    public static GrpcDialer tls(Optional<ClientTls> clientTls, DeliverClientConfig config) {
        return new GrpcDialer(true, clientTls, config);
    }

    /** Plaintext (no TLS), for development only. */
    public static GrpcDialer plaintext(DeliverClientConfig config) {
        return new GrpcDialer(false, Optional.empty(), config);
    }

    @Override
    public Optional<byte[]> clientCertificateHash() {
        return clientTls.map(c -> {
            try {
                return BlockHashing.sha256(c.chain().get(0).getEncoded());
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException("client TLS certificate cannot be encoded", e);
            }
        });
    }

    /** Connections dialed and not yet closed (tests check that none is left behind). */
    public int openConnections() {
        return open.get();
    }

    @Override
    public OrdererConnection dial(OrdererEndpoint endpoint, Duration timeout) throws DeliverTransportException {
        NettyChannelBuilder builder = NettyChannelBuilder.forTarget(endpoint.address())
                .directExecutor()
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .keepAliveTime(keepaliveInterval.toMillis(), TimeUnit.MILLISECONDS)
                .keepAliveTimeout(keepaliveTimeout.toMillis(), TimeUnit.MILLISECONDS)
                // as Fabric's client (PermitWithoutStream): an idle standby connection is pinged too,
                // and gRPC's idle mode (30 min without a call) never closes it
                .keepAliveWithoutCalls(true)
                .idleTimeout(IDLE_MODE_OFF_DAYS, TimeUnit.DAYS)
                .withOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        if (tls) {
            builder.sslContext(sslContext(endpoint));
        } else {
            builder.usePlaintext();
        }
        ManagedChannel channel = builder.build();
        open.incrementAndGet();
        GrpcOrdererConnection connection = new GrpcOrdererConnection(channel, endpoint.address(), open::decrementAndGet);
        try {
            awaitReady(channel, endpoint, timeout);
        } catch (DeliverTransportException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    private static void awaitReady(ManagedChannel channel, OrdererEndpoint endpoint, Duration timeout)
            throws DeliverTransportException {
        long deadline = System.nanoTime() + timeout.toNanos(); // gRPC adapter: gRPC connects on real time
        ConnectivityState state = channel.getState(true);
        while (state != ConnectivityState.READY) {
            // A new channel starts IDLE; TRANSIENT_FAILURE means an attempt failed (refused, TLS error).
            if (state == ConnectivityState.SHUTDOWN || state == ConnectivityState.TRANSIENT_FAILURE) {
                throw new DeliverTransportException("could not connect to " + endpoint + ": connection failed");
            }
            long left = deadline - System.nanoTime(); // gRPC adapter: real time, as above
            if (left <= 0) {
                throw new DeliverTransportException("could not connect to " + endpoint + " within " + timeout + " (state " + state + ")");
            }
            CountDownLatch changed = new CountDownLatch(1);
            channel.notifyWhenStateChanged(state, changed::countDown);
            try {
                changed.await(left, TimeUnit.NANOSECONDS); // gRPC adapter: real time, as above
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DeliverTransportException("interrupted while connecting to " + endpoint, e);
            }
            state = channel.getState(false);
            if (state == ConnectivityState.IDLE) {
                state = channel.getState(true);
            }
        }
    }

    private SslContext sslContext(OrdererEndpoint endpoint) throws DeliverTransportException {
        SslContext cached = contexts.get(endpoint.tlsRootCerts());
        if (cached != null) {
            return cached;
        }
        SslContext built = buildSslContext(endpoint);
        if (contexts.size() < 64) {
            contexts.put(endpoint.tlsRootCerts(), built);
        }
        return built;
    }

    private SslContext buildSslContext(OrdererEndpoint endpoint) throws DeliverTransportException {
        List<X509Certificate> roots = parseCertificates(endpoint);
        if (roots.isEmpty()) {
            throw new DeliverTransportException("no TLS root CA certificates for orderer " + endpoint + " in the channel config");
        }
        try {
            SslContextBuilder ssl = GrpcSslContexts.forClient().trustManager(roots.toArray(X509Certificate[]::new));
            clientTls.ifPresent(c -> ssl.keyManager(c.key(), c.chain().toArray(X509Certificate[]::new)));
            return ssl.build();
        } catch (SSLException e) {
            throw new DeliverTransportException("cannot build the TLS context for orderer " + endpoint + ": " + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> parseCertificates(OrdererEndpoint endpoint) throws DeliverTransportException {
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (ByteString pem : endpoint.tlsRootCerts()) {
                for (var cert : factory.generateCertificates(pem.newInput())) {
                    out.add((X509Certificate) cert);
                }
            }
        } catch (CertificateException e) {
            throw new DeliverTransportException("bad TLS root CA certificate for orderer " + endpoint + ": " + e.getMessage(), e);
        }
        return out;
    }
}
