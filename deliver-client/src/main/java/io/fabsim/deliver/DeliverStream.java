package io.fabsim.deliver;

import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;

/** A client's side of one {@code AtomicBroadcast.Deliver} stream. Used by one thread, except {@link #cancel}. */
public interface DeliverStream {

    /** Sends one request (a signed SeekInfo envelope). */
    void send(Envelope envelope) throws DeliverTransportException;

    /**
     * Waits for the next response. Throws when the stream failed, was cancelled, or the orderer
     * ended it without a status ("hung up without sending status").
     */
    DeliverResponse recv() throws DeliverTransportException, InterruptedException;

    /** Half-closes the sending side. */
    void closeSend();

    /** Cancels the stream from any thread: a waiting {@link #recv} throws at once. Idempotent. */
    void cancel();
}
