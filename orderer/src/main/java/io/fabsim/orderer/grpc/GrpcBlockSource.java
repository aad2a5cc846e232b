package io.fabsim.orderer.grpc;

import io.fabsim.common.config.HostPort;
import io.fabsim.common.crypto.Signer;
import io.fabsim.common.grpc.GrpcServers;
import io.fabsim.common.protoutil.SeekInfos;
import io.fabsim.common.time.Clock;
import io.fabsim.orderer.chain.BlockSource;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;

/**
 * A minimal Deliver client for followers: one gRPC channel to the source orderer; each stream sends
 * one signed SeekInfo (specified height .. max, BLOCK_UNTIL_READY), bound to the client certificate
 * when one is presented, and reads blocks one at a time (inbound flow control: one block requested
 * after each is consumed).
 */
public final class GrpcBlockSource implements BlockSource {

    /** TLS to the source: the CAs to trust, and optionally a client certificate and key for mutual TLS. */
    public record ClientTls(List<Path> rootCAs, X509Certificate clientCertificate, PrivateKey clientKey) {
    }

    private final ManagedChannel channel;
    private final Signer signer;
    private final Clock clock;
    private final byte[] tlsCertHash;

    public GrpcBlockSource(HostPort source, ClientTls tls, Signer signer, Clock clock) throws IOException {
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress(source.host(), source.port())
                .maxInboundMessageSize(GrpcServers.MAX_MESSAGE_BYTES);
        byte[] hash = new byte[0];
        if (tls == null) {
            builder.usePlaintext();
        } else {
            List<X509Certificate> roots = new ArrayList<>();
            for (Path path : tls.rootCAs()) {
                roots.addAll(GrpcServers.readCertificates(path));
            }
            SslContextBuilder ssl = GrpcSslContexts.forClient().trustManager(roots.toArray(X509Certificate[]::new));
            if (tls.clientCertificate() != null) {
                ssl.keyManager(tls.clientKey(), tls.clientCertificate());
                try {
                    hash = MessageDigest.getInstance("SHA-256").digest(tls.clientCertificate().getEncoded());
                } catch (java.security.GeneralSecurityException e) {
                    throw new IOException("cannot hash the client certificate", e);
                }
            }
            builder.sslContext(ssl.build());
        }
        this.channel = builder.build();
        this.signer = signer;
        this.clock = clock;
        this.tlsCertHash = hash;
    }

    @Override
    public BlockStream open(String channelId, long from) {
        Stream stream = new Stream();
        AtomicBroadcastGrpc.newStub(channel).deliver(stream);
        Envelope seek = SeekInfos.seekEnvelope(channelId, SeekInfos.fromHeight(from), signer, clock, tlsCertHash);
        stream.requests.onNext(seek);
        return stream;
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final Object END = new Object();

    private static final class Stream implements ClientResponseObserver<Envelope, DeliverResponse>, BlockStream {
        private final BlockingQueue<Object> responses = new LinkedBlockingQueue<>();
        private ClientCallStreamObserver<Envelope> requests;

        @Override
        public void beforeStart(ClientCallStreamObserver<Envelope> requestStream) {
            requests = requestStream;
            requestStream.disableAutoRequestWithInitial(1);
        }

        @Override
        public Block next() throws Exception {
            Object item = responses.take();
            if (item instanceof DeliverResponse response) {
                if (response.hasBlock()) {
                    requests.request(1);
                    return response.getBlock();
                }
                throw new IOException("the source answered status " + response.getStatus());
            }
            if (item instanceof Throwable error) {
                throw new IOException("the source's stream failed: " + error.getMessage(), error);
            }
            return null;
        }

        @Override
        public void close() {
            requests.cancel("follower closed the stream", null);
        }

        @Override
        public void onNext(DeliverResponse value) {
            responses.add(value);
        }

        @Override
        public void onError(Throwable t) {
            responses.add(t);
        }

        @Override
        public void onCompleted() {
            responses.add(END);
        }
    }
}
