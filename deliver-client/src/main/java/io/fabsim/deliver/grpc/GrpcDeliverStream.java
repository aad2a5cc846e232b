package io.fabsim.deliver.grpc;

import io.fabsim.deliver.DeliverStream;
import io.fabsim.deliver.DeliverTransportException;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import java.util.concurrent.LinkedBlockingQueue;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;

/**
 * A Deliver stream over a raw {@link ClientCall} with manual flow control: at most {@link #WINDOW}
 * responses are requested ahead of the reader, so a slow payload buffer slows the orderer down
 * instead of filling memory. Calls on the {@link ClientCall} are serialized by a lock.
 */
final class GrpcDeliverStream implements DeliverStream {

    static final int WINDOW = 16;

    private record Closed(Status status) {
    }

    private final ClientCall<Envelope, DeliverResponse> call;
    private final String address;
    private final LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final Object callLock = new Object();

    private GrpcDeliverStream(ClientCall<Envelope, DeliverResponse> call, String address) {
        this.call = call;
        this.address = address;
    }

    static GrpcDeliverStream open(ClientCall<Envelope, DeliverResponse> call, String address) {
        GrpcDeliverStream stream = new GrpcDeliverStream(call, address);
        synchronized (stream.callLock) {
            call.start(new ClientCall.Listener<>() {
                @Override
                public void onMessage(DeliverResponse message) {
                    stream.inbox.add(message);
                }

                @Override
                public void onClose(Status status, Metadata trailers) {
                    stream.inbox.add(new Closed(status));
                }
            }, new Metadata());
            call.request(WINDOW);
        }
        return stream;
    }

    @Override
    public void send(Envelope envelope) throws DeliverTransportException {
        try {
            synchronized (callLock) {
                call.sendMessage(envelope);
            }
        } catch (RuntimeException e) {
            throw new DeliverTransportException("cannot send to " + address + ": " + e, e);
        }
    }

    @Override
    public DeliverResponse recv() throws DeliverTransportException, InterruptedException {
        Object next = inbox.take();
        if (next instanceof DeliverResponse response) {
            call.request(1);
            return response;
        }
        Closed closed = (Closed) next;
        inbox.add(closed);
        if (closed.status().isOk()) {
            throw new DeliverTransportException("orderer " + address + " hung up without sending status");
        }
        throw new DeliverTransportException("stream from " + address + " failed: " + closed.status().getCode()
                + (closed.status().getDescription() == null ? "" : " (" + closed.status().getDescription() + ")"));
    }

    @Override
    public void closeSend() {
        synchronized (callLock) {
            try {
                call.halfClose();
            } catch (RuntimeException e) {
                // already closed or cancelled: nothing left to half-close
            }
        }
    }

    @Override
    public void cancel() {
        synchronized (callLock) {
            call.cancel("deliver client closed the stream", null);
        }
    }
}
