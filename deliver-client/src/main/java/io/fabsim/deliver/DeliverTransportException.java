package io.fabsim.deliver;

/** Dialing an orderer, opening the Deliver stream, sending on it or receiving from it failed. */
public class DeliverTransportException extends Exception {

    public DeliverTransportException(String message) {
        super(message);
    }

    public DeliverTransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
