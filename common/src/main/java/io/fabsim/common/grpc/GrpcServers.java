package io.fabsim.common.grpc;

import io.fabsim.common.grpc.ServerKeepalive;
import io.fabsim.common.tls.TlsPeer;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Starts gRPC servers on Netty with Fabric's TLS options. Calls run on the transport threads
 * ({@code directExecutor()}): every service here hands blocking work to its own workers.
 */
public final class GrpcServers {

    /** Fabric's default maximum message size (100 MiB), both ways. */
    public static final int MAX_MESSAGE_BYTES = 100 * 1024 * 1024;

    private GrpcServers() {
    }

    public static Server start(InetSocketAddress address, Optional<ServerTls> tls, BindableService... services)
            throws IOException {
        NettyServerBuilder builder = ServerKeepalive.apply(NettyServerBuilder.forAddress(address))
                .directExecutor()
                .maxInboundMessageSize(MAX_MESSAGE_BYTES);
        if (tls.isPresent()) {
            builder.sslContext(sslContext(tls.get()));
        }
        ServerInterceptor interceptor = TlsPeer.interceptor();
        for (BindableService service : services) {
            builder.addService(ServerInterceptors.intercept(service, interceptor));
        }
        return builder.build().start();
    }

    static SslContext sslContext(ServerTls tls) throws IOException {
        SslContextBuilder builder = GrpcSslContexts.configure(
                SslContextBuilder.forServer(tls.certificate().toFile(), tls.privateKey().toFile()));
        if (tls.clientAuthRequired()) {
            List<X509Certificate> roots = new ArrayList<>();
            for (Path path : tls.clientRootCAs()) {
                roots.addAll(readCertificates(path));
            }
            if (roots.isEmpty()) {
                throw new IOException("TLS client authentication is required but no client root CA certificate was given");
            }
            builder.trustManager(roots.toArray(X509Certificate[]::new)).clientAuth(ClientAuth.REQUIRE);
        }
        return builder.build();
    }

    /** Every certificate in a PEM file. */
    public static List<X509Certificate> readCertificates(Path pem) throws IOException {
        try (InputStream in = Files.newInputStream(pem)) {
            List<X509Certificate> certificates = new ArrayList<>();
            for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certificates.add((X509Certificate) certificate);
            }
            return certificates;
        } catch (CertificateException e) {
            throw new IOException("cannot read certificates from " + pem + ": " + e.getMessage(), e);
        }
    }
}
