package io.fabsim.peer;

/** A channel could not be initialized from its ledger (no readable or valid config block, ...). */
public class ChannelInitException extends Exception {

    public ChannelInitException(String message) {
        super(message);
    }

    public ChannelInitException(String message, Throwable cause) {
        super(message, cause);
    }
}
