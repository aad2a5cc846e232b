package io.fabsim.deliverserver.testing;

import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.peer.DeliverResponse;

/** Records what a peer's {@code Deliver} stream answers: every response, and the statuses apart. */
public final class PeerDeliverRecorder implements StreamObserver<DeliverResponse> {

    public final List<DeliverResponse> responses = new CopyOnWriteArrayList<>();
    public final List<Status> statuses = new CopyOnWriteArrayList<>();

    public List<Block> blocks() {
        return responses.stream().filter(DeliverResponse::hasBlock).map(DeliverResponse::getBlock).toList();
    }

    @Override
    public void onNext(DeliverResponse value) {
        responses.add(value);
        if (value.hasStatus()) {
            statuses.add(value.getStatus());
        }
    }

    @Override
    public void onError(Throwable t) {
    }

    @Override
    public void onCompleted() {
    }
}
