package io.fabsim.common.crypto;

/** A signature or identity did not verify; the message says who, what was expected and what was found. */
public class SignatureVerificationException extends Exception {

    public SignatureVerificationException(String message) {
        super(message);
    }

    public SignatureVerificationException(String message, Throwable cause) {
        super(message, cause);
    }
}
