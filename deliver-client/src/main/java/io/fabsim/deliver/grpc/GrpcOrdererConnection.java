package io.fabsim.deliver.grpc;

import io.fabsim.deliver.DeliverStream;
import io.fabsim.deliver.DeliverTransportException;
import io.fabsim.deliver.OrdererConnection;
import io.grpc.CallOptions;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;

/** One gRPC channel to one orderer; closing it shuts the channel down and ends its streams. */
final class GrpcOrdererConnection implements OrdererConnection {

    private final ManagedChannel channel;
    private final String address;
    private final Runnable onClose;
    private final AtomicBoolean closed = new AtomicBoolean();

    GrpcOrdererConnection(ManagedChannel channel, String address, Runnable onClose) {
        this.channel = channel;
        this.address = address;
        this.onClose = onClose;
    }

    @Override
    public DeliverStream openDeliver() throws DeliverTransportException {
        if (closed.get()) {
            throw new DeliverTransportException("connection to " + address + " is closed");
        }
        try {
            return GrpcDeliverStream.open(channel.newCall(AtomicBroadcastGrpc.getDeliverMethod(), CallOptions.DEFAULT), address);
        } catch (RuntimeException e) {
            throw new DeliverTransportException("cannot open a Deliver stream to " + address + ": " + e, e);
        }
    }

    @Override
    public boolean isReady() {
        return !closed.get() && channel.getState(false) == ConnectivityState.READY;
    }

    /**
     * Watches the channel's state: the callback runs when it leaves READY (gRPC turns a lost
     * connection into IDLE or TRANSIENT_FAILURE) or is shut down; at once when it is not READY now.
     */
    @Override
    public void onBroken(Runnable callback) {
        ConnectivityState state = channel.getState(false);
        if (state != ConnectivityState.READY || closed.get()) {
            callback.run();
            return;
        }
        channel.notifyWhenStateChanged(state, () -> onBroken(callback));
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        channel.shutdownNow();
        try {
            channel.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            onClose.run();
        }
    }
}
