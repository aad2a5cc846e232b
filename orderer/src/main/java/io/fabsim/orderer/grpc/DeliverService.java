package io.fabsim.orderer.grpc;

import io.fabsim.orderer.deliver.DeliverHandler;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.Executor;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;

/**
 * The gRPC glue of {@code AtomicBroadcast/Deliver}: one {@link GrpcDeliverStream} per call over the
 * shared {@link DeliverHandler}. Requests wait for blocks on {@code workers}; the gRPC server itself
 * can run with {@code directExecutor()}.
 */
public final class DeliverService {

    private final DeliverHandler handler;
    private final Executor workers;

    public DeliverService(DeliverHandler handler, Executor workers) {
        this.handler = handler;
        this.workers = workers;
    }

    /** Serves one Deliver call; returns the observer of its requests. */
    public StreamObserver<Envelope> deliver(StreamObserver<DeliverResponse> responses) {
        return new GrpcDeliverStream(handler, (ServerCallStreamObserver<DeliverResponse>) responses, workers);
    }
}
