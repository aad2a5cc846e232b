package io.fabsim.deliverserver.testing;

import io.fabsim.deliverserver.grpc.DeliverService;
import io.grpc.stub.StreamObserver;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;

/** An orderer's {@code AtomicBroadcast} service with Deliver only; Broadcast answers UNIMPLEMENTED. */
public final class DeliverOnlyService extends AtomicBroadcastGrpc.AtomicBroadcastImplBase {

    private final DeliverService deliver;

    public DeliverOnlyService(DeliverService deliver) {
        this.deliver = deliver;
    }

    @Override
    public StreamObserver<Envelope> deliver(StreamObserver<DeliverResponse> responses) {
        return deliver.deliver(responses);
    }
}
