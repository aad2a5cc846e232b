package io.fabsim.deliver;

/** The ledger could not say its height or last hash; the deliver loop ends (Fabric: "something is critically wrong"). */
public class LedgerInfoException extends Exception {

    public LedgerInfoException(String message) {
        super(message);
    }

    public LedgerInfoException(String message, Throwable cause) {
        super(message, cause);
    }
}
