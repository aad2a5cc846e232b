package io.fabsim.gossip;

/** What {@link PayloadBuffer#add} did with a block. */
public enum AddResult {
    /** Stored; the committer will take it in order. */
    ACCEPTED,
    /** A block with this number is already waiting in the buffer. */
    DUPLICATE,
    /** The block is below the ledger height: already committed. */
    BELOW_HEIGHT,
    /** Gossip or state transfer: the block is {@code blockBufferSize} or more ahead of the height. */
    TOO_FAR_AHEAD,
    /** Orderer: no room appeared within the wait bound. */
    TIMED_OUT,
    /** The buffer was closed. */
    CLOSED;

    public boolean accepted() {
        return this == ACCEPTED;
    }
}
