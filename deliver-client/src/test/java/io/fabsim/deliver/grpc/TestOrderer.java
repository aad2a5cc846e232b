package io.fabsim.deliver.grpc;

import io.fabsim.common.protoutil.BlockHashing;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLSession;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.SeekPosition;

/**
 * An in-JVM AtomicBroadcast server over real gRPC with mutual TLS that serves a {@link TestChain}
 * the way Fabric's orderer answers a {@code BLOCK_UNTIL_READY} seek: from the start position, waiting
 * for new blocks. It checks the request's TLS certificate hash binding against the client's
 * handshake certificate and answers FORBIDDEN when it does not match. Blocks can be tampered with.
 */
final class TestOrderer implements AutoCloseable {

    private static final Context.Key<byte[]> CLIENT_CERT_HASH = Context.key("client-cert-hash");

    private final TestChain chain;
    private final Server server;
    private final ExecutorService senders = Executors.newCachedThreadPool(r -> new Thread(r, "test-orderer-sender"));
    private volatile UnaryOperator<Block> tamper = UnaryOperator.identity();
    final List<String> bindingErrors = new CopyOnWriteArrayList<>();
    final List<Long> seekStarts = new CopyOnWriteArrayList<>();
    final AtomicInteger blocksSent = new AtomicInteger();

    TestOrderer(TestChain chain, TlsFixtures tls) throws Exception {
        this.chain = chain;
        this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .sslContext(GrpcSslContexts.forServer(tls.ordererTls.resolve("server.crt").toFile(),
                                tls.ordererTls.resolve("server.key").toFile())
                        .trustManager(tls.org1TlsCa.toFile())
                        .clientAuth(ClientAuth.REQUIRE)
                        .build())
                .addService(ServerInterceptors.intercept(new Service(), new CertHashInterceptor()))
                .build()
                .start();
    }

    String address() {
        return "127.0.0.1:" + server.getPort();
    }

    void tamper(UnaryOperator<Block> tamper) {
        this.tamper = tamper;
    }

    /**
     * Kills the orderer: every connection drops at once and, as with a killed process, nothing more
     * is sent, not even a block appended right after (its sender threads have ended on return).
     */
    void kill() throws InterruptedException {
        String address = address();
        server.shutdownNow();
        senders.shutdownNow();
        if (!senders.awaitTermination(10, TimeUnit.SECONDS)) {
            throw new AssertionError("test orderer " + address + ": sender threads still running 10 s after kill");
        }
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow();
        senders.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
        senders.awaitTermination(5, TimeUnit.SECONDS);
    }

    private static final class CertHashInterceptor implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
            byte[] hash = null;
            try {
                Certificate[] peer = session == null ? null : session.getPeerCertificates();
                hash = peer == null ? null : BlockHashing.sha256(peer[0].getEncoded());
            } catch (Exception e) {
                hash = null;
            }
            return Contexts.interceptCall(Context.current().withValue(CLIENT_CERT_HASH, hash), call, headers, next);
        }
    }

    private final class Service extends AtomicBroadcastGrpc.AtomicBroadcastImplBase {
        @Override
        public StreamObserver<Envelope> deliver(StreamObserver<DeliverResponse> responses) {
            ServerCallStreamObserver<DeliverResponse> out = (ServerCallStreamObserver<DeliverResponse>) responses;
            out.setOnCancelHandler(() -> { });
            byte[] clientHash = CLIENT_CERT_HASH.get();
            return new StreamObserver<>() {
                @Override
                public void onNext(Envelope request) {
                    try {
                        Payload payload = Payload.parseFrom(request.getPayload());
                        ChannelHeader header = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
                        if (header.getType() != HeaderType.DELIVER_SEEK_INFO_VALUE
                                || !Arrays.equals(clientHash, header.getTlsCertHash().toByteArray())) {
                            bindingErrors.add("type " + header.getType() + ", binding mismatch");
                            finish(out, Status.FORBIDDEN);
                            return;
                        }
                        SeekInfo seek = SeekInfo.parseFrom(payload.getData());
                        long start = position(seek.getStart());
                        seekStarts.add(start);
                        senders.execute(() -> send(out, start));
                    } catch (Exception e) {
                        finish(out, Status.BAD_REQUEST);
                    }
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                }
            };
        }

        private long position(SeekPosition position) {
            return switch (position.getTypeCase()) {
                case OLDEST -> 0;
                case NEWEST -> chain.height() - 1;
                default -> position.getSpecified().getNumber();
            };
        }

        private void send(ServerCallStreamObserver<DeliverResponse> out, long start) {
            try {
                for (long n = start; !out.isCancelled(); ) {
                    Block block = chain.await(n, 50);
                    if (block == null) {
                        continue;
                    }
                    Block served = tamper.apply(block);
                    synchronized (out) {
                        out.onNext(DeliverResponse.newBuilder().setBlock(served).build());
                    }
                    blocksSent.incrementAndGet();
                    n++;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                // the call ended under us (cancelled, server killed): stop serving it
            }
        }

        private void finish(ServerCallStreamObserver<DeliverResponse> out, Status status) {
            synchronized (out) {
                out.onNext(DeliverResponse.newBuilder().setStatus(status).build());
                out.onCompleted();
            }
        }
    }
}
