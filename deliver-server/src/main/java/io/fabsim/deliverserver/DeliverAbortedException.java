package io.fabsim.deliverserver;

/**
 * The stream cannot continue: the client cancelled, or a response could not be sent. No status is
 * sent; the transport ends the stream (as Fabric's handler returns an error from {@code Handle}).
 */
public class DeliverAbortedException extends Exception {

    public DeliverAbortedException(String message) {
        super(message);
    }

    public DeliverAbortedException(String message, Throwable cause) {
        super(message, cause);
    }
}
