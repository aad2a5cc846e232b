package io.fabsim.deliverserver.testing;

import io.fabsim.common.testing.TestPki;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;

/** A test client of {@code AtomicBroadcast/Deliver} over TLS: opens streams and reads their responses. */
public final class DeliverTestClient implements AutoCloseable {

    private final ManagedChannel channel;

    /** TLS to a server whose certificate chains to {@code serverCa}; presents {@code clientCert} when not null. */
    public DeliverTestClient(int port, TestPki.Issued serverCa, TestPki.Issued clientCert) {
        try {
            SslContextBuilder ssl = GrpcSslContexts.forClient().trustManager(serverCa.certificate());
            if (clientCert != null) {
                ssl.keyManager(clientCert.keys().getPrivate(), clientCert.certificate());
            }
            channel = NettyChannelBuilder.forAddress("127.0.0.1", port).sslContext(ssl.build())
                    .maxInboundMessageSize(100 * 1024 * 1024).build();
        } catch (javax.net.ssl.SSLException e) {
            throw new IllegalStateException(e);
        }
    }

    public DeliverTestClient(ManagedChannel channel) {
        this.channel = channel;
    }

    public ManagedChannel channel() {
        return channel;
    }

    public Stream open() {
        Stream stream = new Stream();
        AtomicBroadcastGrpc.newStub(channel).deliver(stream);
        return stream;
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }

    /** One Deliver stream: responses are queued as they arrive. */
    public static final class Stream implements ClientResponseObserver<Envelope, DeliverResponse> {
        private final BlockingQueue<DeliverResponse> responses = new LinkedBlockingQueue<>();
        private final CompletableFuture<Throwable> ended = new CompletableFuture<>();
        private ClientCallStreamObserver<Envelope> requests;

        @Override
        public void beforeStart(ClientCallStreamObserver<Envelope> requestStream) {
            this.requests = requestStream;
        }

        public Stream send(Envelope envelope) {
            requests.onNext(envelope);
            return this;
        }

        public void halfClose() {
            requests.onCompleted();
        }

        public void cancel() {
            requests.cancel("test cancels", null);
        }

        /** The next response, waiting up to 20 s; fails the test when none comes. */
        public DeliverResponse next() throws InterruptedException {
            DeliverResponse response = responses.poll(20, TimeUnit.SECONDS);
            if (response == null) {
                throw new AssertionError("no Deliver response within 20 s (ended: " + ended.getNow(null) + ")");
            }
            return response;
        }

        /** The next response if one arrives within {@code millis}, else null. */
        public DeliverResponse poll(long millis) throws InterruptedException {
            return responses.poll(millis, TimeUnit.MILLISECONDS);
        }

        /** Completes with null when the server completed the stream, or the error that ended it. */
        public CompletableFuture<Throwable> ended() {
            return ended;
        }

        @Override
        public void onNext(DeliverResponse value) {
            responses.add(value);
        }

        @Override
        public void onError(Throwable t) {
            ended.complete(t);
        }

        @Override
        public void onCompleted() {
            ended.complete(null);
        }
    }
}
