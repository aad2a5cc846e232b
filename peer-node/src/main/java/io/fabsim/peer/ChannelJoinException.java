package io.fabsim.peer;

/**
 * A channel join was refused: the channel is already joined ({@link Reason#ALREADY_JOINED}), the
 * block is not a valid config block ({@link Reason#BAD_BLOCK}), or creating the ledger or the
 * channel failed ({@link Reason#FAILED}). The message names the channel and the reason.
 */
public class ChannelJoinException extends Exception {

    /** Why a join failed; the admin API maps it to 409, 400 or 500. */
    public enum Reason { ALREADY_JOINED, BAD_BLOCK, FAILED }

    private final Reason reason;

    public ChannelJoinException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ChannelJoinException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
