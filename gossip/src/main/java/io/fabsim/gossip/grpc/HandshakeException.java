package io.fabsim.gossip.grpc;

/** A gossip connection handshake failed; the message says who and what did not check. */
final class HandshakeException extends Exception {

    HandshakeException(String message) {
        super(message);
    }

    HandshakeException(String message, Throwable cause) {
        super(message, cause);
    }
}
