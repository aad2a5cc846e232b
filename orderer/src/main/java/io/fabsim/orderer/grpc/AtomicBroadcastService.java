package io.fabsim.orderer.grpc;

import io.fabsim.common.tls.TlsPeer;
import io.fabsim.deliverserver.grpc.DeliverService;
import io.fabsim.orderer.chain.BroadcastHandler;
import io.grpc.stub.StreamObserver;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The orderer's {@code orderer.AtomicBroadcast} gRPC service: Deliver through {@link DeliverService},
 * Broadcast answering each envelope in order with the {@link BroadcastHandler}'s response (the
 * handler only validates and queues, so it runs on the transport thread).
 */
public final class AtomicBroadcastService extends AtomicBroadcastGrpc.AtomicBroadcastImplBase {

    private static final Logger log = LoggerFactory.getLogger(AtomicBroadcastService.class);

    private final DeliverService deliver;
    private final BroadcastHandler broadcast;

    public AtomicBroadcastService(DeliverService deliver, BroadcastHandler broadcast) {
        this.deliver = deliver;
        this.broadcast = broadcast;
    }

    @Override
    public StreamObserver<Envelope> deliver(StreamObserver<DeliverResponse> responses) {
        return deliver.deliver(responses);
    }

    @Override
    public StreamObserver<Envelope> broadcast(StreamObserver<BroadcastResponse> responses) {
        if (broadcast == null) {
            return super.broadcast(responses);
        }
        String remote = TlsPeer.remoteAddress();
        return new StreamObserver<>() {
            @Override
            public void onNext(Envelope envelope) {
                responses.onNext(broadcast.process(envelope));
            }

            @Override
            public void onError(Throwable t) {
                log.debug("Broadcast stream from {} ended: {}", remote, t.getMessage());
            }

            @Override
            public void onCompleted() {
                responses.onCompleted();
            }
        };
    }
}
