package io.fabsim.deliverserver;

/** A request's creator is not allowed what it asked for; the message names the creator and the policy. */
public class AccessDeniedException extends Exception {

    public AccessDeniedException(String message) {
        super(message);
    }

    public AccessDeniedException(String message, Throwable cause) {
        super(message, cause);
    }
}
