package io.fabsim.orderer.grpc;

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
 * Puts what a call's transport knows about the client into the gRPC {@link Context}: its address
 * and the SHA-256 of the DER of the TLS certificate it presented (Fabric's
 * {@code util.ExtractCertificateHashFromContext}), for the TLS binding check.
 */
public final class TlsSessionInterceptor implements ServerInterceptor {

    static final Context.Key<Optional<byte[]>> CLIENT_CERT_HASH = Context.key("fabsim-client-cert-hash");
    static final Context.Key<String> REMOTE_ADDRESS = Context.key("fabsim-remote-address");

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        Context context = Context.current()
                .withValue(CLIENT_CERT_HASH, certHash(session))
                .withValue(REMOTE_ADDRESS, remote == null ? "unknown" : remote.toString());
        return Contexts.interceptCall(context, call, headers, next);
    }

    static Optional<byte[]> clientCertHash() {
        Optional<byte[]> hash = CLIENT_CERT_HASH.get();
        return hash == null ? Optional.empty() : hash;
    }

    static String remoteAddress() {
        String address = REMOTE_ADDRESS.get();
        return address == null ? "unknown" : address;
    }

    private static Optional<byte[]> certHash(SSLSession session) {
        if (session == null) {
            return Optional.empty();
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            if (chain.length == 0) {
                return Optional.empty();
            }
            return Optional.of(MessageDigest.getInstance("SHA-256").digest(chain[0].getEncoded()));
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash the client's TLS certificate", e);
        }
    }
}
