package io.fabsim.peer.grpc;

import io.fabsim.common.grpc.ServerKeepalive;
import io.fabsim.common.config.HostPort;
import io.fabsim.common.tls.LiveClientTrust;
import io.fabsim.peer.PeerConfig;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.util.MutableHandlerRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peer's gRPC server on {@code peer.listenAddress}: plaintext, TLS, or mutual TLS
 * ({@code peer.tls.clientAuthRequired}: client certificates must chain to one of the client root
 * CAs, a set that changes with the channels the peer runs; see {@link LiveClientTrust}).
 * Services can be added after it is bound ({@link #addService}), so the port is known before the
 * channels start (gossip and election announce it).
 */
public final class PeerGrpcServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PeerGrpcServer.class);

    /** Fabric's default gRPC message limit ({@code peer.maxRecvMsgSize}): 100 MiB, for large blocks. */
    public static final int MAX_MESSAGE_BYTES = 100 * 1024 * 1024;

    private final Server server;
    private final MutableHandlerRegistry registry;

    private PeerGrpcServer(Server server, MutableHandlerRegistry registry) {
        this.server = server;
        this.registry = registry;
    }

    /**
     * Binds {@code listen} and starts serving; fails naming the address or the TLS file at fault.
     * With mutual TLS, {@code clientRoots} gives the CAs trusted at each handshake.
     */
    public static PeerGrpcServer start(HostPort listen, PeerConfig.Tls tls, Supplier<Set<X509Certificate>> clientRoots) {
        MutableHandlerRegistry registry = new MutableHandlerRegistry();
        NettyServerBuilder builder = ServerKeepalive.apply(NettyServerBuilder.forAddress(
                new InetSocketAddress(listen.host(), listen.port()))).fallbackHandlerRegistry(registry)
                .maxInboundMessageSize(MAX_MESSAGE_BYTES);
        if (tls.enabled()) {
            builder.sslContext(sslContext(tls, clientRoots));
        }
        Server server;
        try {
            server = builder.build().start();
        } catch (IOException e) {
            throw new UncheckedIOException("peer gRPC server: cannot listen on " + listen + ": " + e.getMessage(), e);
        }
        log.info("gRPC server listening on {} ({})", listen.host() + ":" + server.getPort(),
                !tls.enabled() ? "plaintext" : tls.clientAuthRequired() ? "mutual TLS" : "TLS");
        return new PeerGrpcServer(server, registry);
    }

    public void addService(BindableService service) {
        registry.addService(service);
    }

    public void addService(io.grpc.ServerServiceDefinition service) {
        registry.addService(service);
    }

    /** The port actually bound. */
    public int port() {
        return server.getPort();
    }

    /**
     * Stops at once, as Fabric's peer stops its gRPC server: open calls (Deliver clients following
     * the chain, gossip streams) are cancelled rather than waited for.
     */
    @Override
    public void close() {
        server.shutdownNow();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("gRPC server on port {} did not terminate within 5 s", server.getPort());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static io.grpc.netty.shaded.io.netty.handler.ssl.SslContext sslContext(PeerConfig.Tls tls,
            Supplier<Set<X509Certificate>> clientRoots) {
        try {
            SslContextBuilder ssl = GrpcSslContexts.forServer(readable(tls.certFile(), "peer.tls.cert.file"),
                    readable(tls.keyFile(), "peer.tls.key.file"));
            if (tls.clientAuthRequired()) {
                ssl.trustManager(new LiveClientTrust(clientRoots)).clientAuth(ClientAuth.REQUIRE);
            }
            return ssl.build();
        } catch (IOException e) {
            throw new UncheckedIOException("peer gRPC server: bad TLS material: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("peer gRPC server: bad TLS material ("
                    + tls.certFile() + ", " + tls.keyFile() + "): " + e.getMessage(), e);
        }
    }

    private static java.io.File readable(Path file, String key) throws IOException {
        if (!Files.isReadable(file)) {
            throw new IOException(key + ": expected a readable PEM file, got " + file);
        }
        return file.toFile();
    }
}
