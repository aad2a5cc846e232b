package io.fabsim.orderer;

/** The orderer could not start: the message names the component, the file or key, and the problem. */
public class OrdererException extends Exception {

    public OrdererException(String message, Throwable cause) {
        super(message, cause);
    }
}
