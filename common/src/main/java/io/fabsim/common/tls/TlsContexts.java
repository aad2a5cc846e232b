package io.fabsim.common.tls;

import io.fabsim.common.crypto.CryptoMaterialException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * gRPC (netty-shaded) TLS contexts for Fabric-style endpoints: a server that presents its TLS
 * certificate and, for mutual TLS ({@code General.TLS.ClientAuthRequired}), requires a client
 * certificate issued by one of the given client root CAs; a client that trusts the given server
 * root CAs and, for mutual TLS, presents its own certificate.
 */
public final class TlsContexts {

    private TlsContexts() {
    }

    /**
     * A server context.
     *
     * @param clientRootCas the CAs a client certificate must chain to; required (non-empty) when
     *        {@code requireClientAuth}
     */
    public static SslContext server(TlsMaterial server, boolean requireClientAuth, List<X509Certificate> clientRootCas) {
        if (requireClientAuth && clientRootCas.isEmpty()) {
            throw new CryptoMaterialException("mutual TLS needs at least one client root CA, got none");
        }
        SslContextBuilder builder = GrpcSslContexts.configure(SslContextBuilder.forServer(server.privateKey(), server.certificate()));
        if (requireClientAuth) {
            builder.trustManager(clientRootCas.toArray(X509Certificate[]::new)).clientAuth(ClientAuth.REQUIRE);
        }
        return build(builder, "server " + server.certificate().getSubjectX500Principal().getName());
    }

    /**
     * A client context trusting {@code serverRootCas} and, when {@code clientIdentity} is present,
     * presenting its certificate for mutual TLS.
     */
    public static SslContext client(List<X509Certificate> serverRootCas, Optional<TlsMaterial> clientIdentity) {
        if (serverRootCas.isEmpty()) {
            throw new CryptoMaterialException("a TLS client needs at least one server root CA, got none");
        }
        SslContextBuilder builder = GrpcSslContexts.forClient().trustManager(serverRootCas.toArray(X509Certificate[]::new));
        clientIdentity.ifPresent(id -> builder.keyManager(id.privateKey(), id.certificate()));
        return build(builder, "client");
    }

    /** A server builder on {@code address} with {@code context} (plaintext when null). */
    public static NettyServerBuilder serverBuilder(InetSocketAddress address, SslContext context) {
        NettyServerBuilder builder = NettyServerBuilder.forAddress(address);
        return context == null ? builder : builder.sslContext(context);
    }

    /** A channel builder to {@code host:port} with {@code context} (plaintext when null). */
    public static NettyChannelBuilder channelBuilder(String host, int port, SslContext context) {
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress(host, port);
        return context == null ? builder.usePlaintext() : builder.sslContext(context);
    }

    private static SslContext build(SslContextBuilder builder, String what) {
        try {
            return builder.build();
        } catch (SSLException e) {
            throw new CryptoMaterialException("cannot build the TLS context for " + what + ": " + e.getMessage(), e);
        }
    }
}
