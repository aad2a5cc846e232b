package io.fabsim.peer.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.net.SocketAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Puts the client's address and the SHA-256 of the DER of its TLS certificate (Fabric's
 * {@code ExtractCertificateHashFromContext}) into the call's {@link Context}, for the Deliver
 * handler's TLS binding check and its logs.
 */
final class ClientTlsInterceptor implements ServerInterceptor {

    private static final Context.Key<Optional<byte[]>> CERT_HASH = Context.key("fabsim-peer-client-cert-hash");
    private static final Context.Key<String> REMOTE = Context.key("fabsim-peer-remote-address");

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        Context context = Context.current()
                .withValue(CERT_HASH, certHash(session))
                .withValue(REMOTE, remote == null ? "unknown" : remote.toString());
        return Contexts.interceptCall(context, call, headers, next);
    }

    static Optional<byte[]> clientCertHash() {
        Optional<byte[]> hash = CERT_HASH.get();
        return hash == null ? Optional.empty() : hash;
    }

    static String remoteAddress() {
        String remote = REMOTE.get();
        return remote == null ? "unknown" : remote;
    }

    private static Optional<byte[]> certHash(SSLSession session) {
        if (session == null) {
            return Optional.empty();
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length == 0 ? Optional.empty()
                    : Optional.of(MessageDigest.getInstance("SHA-256").digest(chain[0].getEncoded()));
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash the client's TLS certificate", e);
        }
    }
}
