package io.fabsim.gossip;

/** A block failed verification; the message names the channel, the block number, what was expected and found. */
public class InvalidBlockException extends Exception {

    public InvalidBlockException(String message) {
        super(message);
    }

    public InvalidBlockException(String message, Throwable cause) {
        super(message, cause);
    }
}
