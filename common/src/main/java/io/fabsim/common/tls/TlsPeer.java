package io.fabsim.common.tls;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.net.SocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The TLS client certificate of a gRPC server call, for Fabric's TLS binding check: with mutual
 * TLS, a request's {@code ChannelHeader.tls_cert_hash} must equal the SHA-256 of the DER of the
 * certificate the client presented. {@link #interceptor()} puts that hash and the client's address
 * into the call's {@link Context}, where {@link #clientCertHash()} and {@link #remoteAddress()} read
 * them from the service code.
 */
public final class TlsPeer {

    private static final Context.Key<byte[]> CLIENT_CERT_HASH = Context.key("fabsim-tls-client-cert-hash");
    private static final Context.Key<String> REMOTE_ADDRESS = Context.key("fabsim-tls-remote-address");
    private static final String UNKNOWN_ADDRESS = "unknown";

    private TlsPeer() {
    }

    /** The certificate the client presented in the handshake; empty for plaintext or server-only TLS. */
    public static Optional<X509Certificate> clientCertificate(ServerCall<?, ?> call) {
        SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        if (session == null) {
            return Optional.empty();
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x509 ? Optional.of(x509) : Optional.empty();
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }

    /** SHA-256 of the DER of the client's certificate; empty when the client presented none. */
    public static Optional<byte[]> clientCertHash(ServerCall<?, ?> call) {
        return clientCertificate(call).map(TlsMaterial::certHash);
    }

    /** The client certificate hash of the current call, set by {@link #interceptor()}. */
    public static Optional<byte[]> clientCertHash() {
        return Optional.ofNullable(CLIENT_CERT_HASH.get());
    }

    /** The client's address of the current call, for logs; {@code unknown} outside {@link #interceptor()}. */
    public static String remoteAddress() {
        String address = REMOTE_ADDRESS.get();
        return address == null ? UNKNOWN_ADDRESS : address;
    }

    /**
     * Stores the client certificate hash (if any) and the client's address in the context of every
     * call it intercepts.
     */
    public static ServerInterceptor interceptor() {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                    ServerCallHandler<Q, R> next) {
                SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
                Context context = Context.current()
                        .withValue(CLIENT_CERT_HASH, clientCertHash(call).orElse(null))
                        .withValue(REMOTE_ADDRESS, remote == null ? UNKNOWN_ADDRESS : remote.toString());
                return Contexts.interceptCall(context, call, headers, next);
            }
        };
    }
}
