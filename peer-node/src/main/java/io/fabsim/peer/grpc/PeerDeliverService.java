package io.fabsim.peer.grpc;

import io.fabsim.common.tls.TlsPeer;
import io.fabsim.orderer.deliver.DeliverHandler;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.Executor;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.peer.DeliverGrpc;
import org.hyperledger.fabric.protos.peer.DeliverResponse;

/**
 * Fabric's peer {@code protos.Deliver} service over committed blocks: {@code Deliver} sends full
 * blocks, {@code DeliverFiltered} {@code FilteredBlock}s; both with the orderer's Deliver handler
 * semantics. {@code DeliverWithPrivateData} is not offered (UNIMPLEMENTED): fabsim has no private data.
 */
public final class PeerDeliverService extends DeliverGrpc.DeliverImplBase {

    private final DeliverHandler handler;
    private final Executor workers;

    public PeerDeliverService(DeliverHandler handler, Executor workers) {
        this.handler = handler;
        this.workers = workers;
    }

    /** The service with the interceptor that records the client's TLS certificate hash. */
    public ServerServiceDefinition definition() {
        return ServerInterceptors.intercept(bindService(), TlsPeer.interceptor());
    }

    @Override
    public StreamObserver<Envelope> deliver(StreamObserver<DeliverResponse> responses) {
        return new PeerDeliverStream(handler, (ServerCallStreamObserver<DeliverResponse>) responses, workers, false);
    }

    @Override
    public StreamObserver<Envelope> deliverFiltered(StreamObserver<DeliverResponse> responses) {
        return new PeerDeliverStream(handler, (ServerCallStreamObserver<DeliverResponse>) responses, workers, true);
    }
}
