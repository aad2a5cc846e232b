package io.fabsim.peer.grpc;

import io.fabsim.common.tls.TlsPeer;
import io.fabsim.deliverserver.DeliverHandler;
import io.fabsim.deliverserver.grpc.DeliverResponseFormat;
import io.fabsim.deliverserver.grpc.DeliverService;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.Executor;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.peer.DeliverGrpc;
import org.hyperledger.fabric.protos.peer.DeliverResponse;

/**
 * Fabric's peer {@code protos.Deliver} service over committed blocks: {@code Deliver} sends full
 * blocks, {@code DeliverFiltered} {@code FilteredBlock}s; both run on the orderer's Deliver stream
 * handling ({@link DeliverService}) and handler, so they have its seek semantics and statuses.
 * {@code DeliverWithPrivateData} is not offered (UNIMPLEMENTED): fabsim has no private data.
 */
public final class PeerDeliverService extends DeliverGrpc.DeliverImplBase {

    private static final DeliverResponseFormat<DeliverResponse> BLOCKS = new DeliverResponseFormat<>(
            block -> DeliverResponse.newBuilder().setBlock(block).build(),
            PeerDeliverService::status, false, "block");
    private static final DeliverResponseFormat<DeliverResponse> FILTERED_BLOCKS = new DeliverResponseFormat<>(
            block -> DeliverResponse.newBuilder().setFilteredBlock(FilteredBlocks.of(block)).build(),
            PeerDeliverService::status, true, "filtered_block");

    private final DeliverService streams;

    public PeerDeliverService(DeliverHandler handler, Executor workers) {
        this.streams = new DeliverService(handler, workers);
    }

    /** The service with the interceptor that records the client's TLS certificate hash. */
    public ServerServiceDefinition definition() {
        return ServerInterceptors.intercept(bindService(), TlsPeer.interceptor());
    }

    @Override
    public StreamObserver<Envelope> deliver(StreamObserver<DeliverResponse> responses) {
        return streams.open(responses, BLOCKS);
    }

    @Override
    public StreamObserver<Envelope> deliverFiltered(StreamObserver<DeliverResponse> responses) {
        return streams.open(responses, FILTERED_BLOCKS);
    }

    private static DeliverResponse status(Status status) {
        return DeliverResponse.newBuilder().setStatus(status).build();
    }
}
