package io.fabsim.election;

/** The election cluster could not be started or used; the message names the org, the node and the cause. */
public class ElectionException extends RuntimeException {

    public ElectionException(String message) {
        super(message);
    }

    public ElectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
