package io.fabsim.ledger;

/** A ledger operation failed; the message names the channel and what was expected and found. */
public class LedgerException extends Exception {

    public LedgerException(String message) {
        super(message);
    }

    public LedgerException(String message, Throwable cause) {
        super(message, cause);
    }
}
