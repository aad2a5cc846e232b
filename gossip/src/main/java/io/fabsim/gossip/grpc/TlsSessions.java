package io.fabsim.gossip.grpc;

import io.fabsim.gossip.GossipTls;
import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.net.SocketAddress;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/** TLS contexts of the gossip endpoint and access to the certificate the remote side presented. */
final class TlsSessions {

    /** Server side: the remote's TLS session and address, put in the call's Context by {@link #serverInterceptor()}. */
    static final Context.Key<SSLSession> SESSION = Context.key("gossip-tls-session");
    static final Context.Key<SocketAddress> REMOTE = Context.key("gossip-remote-address");
    /** Client side: where {@link #clientInterceptor()} leaves the call, to read its TLS session later. */
    static final CallOptions.Key<AtomicReference<ClientCall<?, ?>>> CALL = CallOptions.Key.create("gossip-call");

    private TlsSessions() {
    }

    static SslContext serverContext(GossipTls tls) throws javax.net.ssl.SSLException {
        return GrpcSslContexts.configure(SslContextBuilder.forServer(tls.key(), tls.certChain().toArray(X509Certificate[]::new)))
                .trustManager(tls.trustedRoots().toArray(X509Certificate[]::new))
                .clientAuth(tls.clientAuthRequired() ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL)
                .build();
    }

    static SslContext clientContext(GossipTls tls) throws javax.net.ssl.SSLException {
        return GrpcSslContexts.forClient()
                .trustManager(tls.trustedRoots().toArray(X509Certificate[]::new))
                .keyManager(tls.key(), tls.certChain().toArray(X509Certificate[]::new))
                .build();
    }

    static ServerInterceptor serverInterceptor() {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                    ServerCallHandler<Q, R> next) {
                Attributes attributes = call.getAttributes();
                Context context = Context.current()
                        .withValue(SESSION, attributes.get(Grpc.TRANSPORT_ATTR_SSL_SESSION))
                        .withValue(REMOTE, attributes.get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
                return Contexts.interceptCall(context, call, headers, next);
            }
        };
    }

    static ClientInterceptor clientInterceptor() {
        return new ClientInterceptor() {
            @Override
            public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options,
                    Channel next) {
                ClientCall<Q, R> call = next.newCall(method, options);
                AtomicReference<ClientCall<?, ?>> holder = options.getOption(CALL);
                if (holder != null) {
                    holder.set(call);
                }
                return call;
            }
        };
    }

    /** The DER of the certificate the remote presented, or null (no TLS, or no client certificate). */
    static byte[] peerCertificate(SSLSession session) {
        if (session == null) {
            return null;
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length == 0 ? null : chain[0].getEncoded();
        } catch (SSLPeerUnverifiedException e) {
            return null;
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("TLS peer certificate cannot be encoded", e);
        }
    }

    static byte[] peerCertificate(ClientCall<?, ?> call) {
        return call == null ? null : peerCertificate(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
    }
}
