package io.fabsim.deliver;

/** One connection to one orderer (Fabric's {@code grpc.ClientConn} plus {@code DeliverStreamer}). */
public interface OrdererConnection extends AutoCloseable {

    /** Opens an {@code AtomicBroadcast.Deliver} stream on this connection. */
    DeliverStream openDeliver() throws DeliverTransportException;

    /**
     * Whether the connection is established and usable now (a warm standby connection is handed
     * over only when it is). Fakes that cannot tell say true.
     */
    default boolean isReady() {
        return true;
    }

    /**
     * Runs {@code callback} once, on a transport thread, when this connection stops being usable
     * (the orderer closed it, the network failed, or it was closed). Used to re-dial a warm standby
     * connection; fakes may never call it.
     */
    default void onBroken(Runnable callback) {
    }

    /** Closes the connection and every stream on it; idempotent, never throws. */
    @Override
    void close();
}
