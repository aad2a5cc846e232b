package io.fabsim.orderer.grpc;

import io.grpc.stub.StreamObserver;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;

/** The orderer's {@code orderer.AtomicBroadcast} gRPC service. */
public final class AtomicBroadcastService extends AtomicBroadcastGrpc.AtomicBroadcastImplBase {

    private final DeliverService deliver;

    public AtomicBroadcastService(DeliverService deliver) {
        this.deliver = deliver;
    }

    @Override
    public StreamObserver<Envelope> deliver(StreamObserver<DeliverResponse> responses) {
        return deliver.deliver(responses);
    }
}
