package io.fabsim.deliverserver.grpc;

import io.fabsim.deliverserver.DeliverHandler;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.Executor;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;

/**
 * The gRPC glue of a Deliver service: one {@link GrpcDeliverStream} per call over the shared
 * {@link DeliverHandler}. Serves the orderer's {@code AtomicBroadcast/Deliver} and, through
 * {@link #open}, any service with the same stream semantics (the peer's {@code Deliver} and
 * {@code DeliverFiltered}). Requests wait for blocks on {@code workers}; the gRPC server itself can
 * run with {@code directExecutor()}.
 */
public final class DeliverService {

    private final DeliverHandler handler;
    private final Executor workers;

    public DeliverService(DeliverHandler handler, Executor workers) {
        this.handler = handler;
        this.workers = workers;
    }

    /** Serves one {@code AtomicBroadcast/Deliver} call; returns the observer of its requests. */
    public StreamObserver<Envelope> deliver(StreamObserver<DeliverResponse> responses) {
        return open(responses, DeliverResponseFormat.ORDERER);
    }

    /**
     * Serves one call of a Deliver-like service whose responses {@code format} builds; returns the
     * observer of its requests. {@code responses} must be the server-side observer gRPC passed in.
     */
    public <R> StreamObserver<Envelope> open(StreamObserver<R> responses, DeliverResponseFormat<R> format) {
        return new GrpcDeliverStream<>(handler, (ServerCallStreamObserver<R>) responses, workers, format);
    }
}
