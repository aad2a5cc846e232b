package io.fabsim.common.operations;

/** A handler's refusal with an HTTP status, e.g. 400 for a bad body or 405 for a wrong method. */
public class OperationsException extends RuntimeException {

    private final int status;

    public OperationsException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
