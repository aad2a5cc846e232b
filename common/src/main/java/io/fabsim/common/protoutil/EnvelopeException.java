package io.fabsim.common.protoutil;

/**
 * An envelope, payload, header or block could not be parsed or is missing a part. The message
 * names the layer that failed ({@code payload}, {@code channel header}, {@code signature header},
 * {@code block data[0]}...), what was expected and what was found.
 */
public class EnvelopeException extends Exception {

    private final String layer;

    public EnvelopeException(String layer, String message) {
        super(layer + ": " + message);
        this.layer = layer;
    }

    public EnvelopeException(String layer, String message, Throwable cause) {
        super(layer + ": " + message, cause);
        this.layer = layer;
    }

    /** The layer that failed, e.g. {@code channel header}. */
    public String layer() {
        return layer;
    }
}
