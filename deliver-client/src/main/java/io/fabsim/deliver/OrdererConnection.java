package io.fabsim.deliver;

/** One connection to one orderer (Fabric's {@code grpc.ClientConn} plus {@code DeliverStreamer}). */
public interface OrdererConnection extends AutoCloseable {

    /** Opens an {@code AtomicBroadcast.Deliver} stream on this connection. */
    DeliverStream openDeliver() throws DeliverTransportException;

    /** Closes the connection and every stream on it; idempotent, never throws. */
    @Override
    void close();
}
