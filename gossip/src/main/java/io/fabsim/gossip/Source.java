package io.fabsim.gossip;

/** Where a block handed to a {@link PayloadBuffer} came from; it decides what happens when the buffer is full. */
public enum Source {
    /** The local deliver client (the org leader): waits for room, as back-pressure on the Deliver stream. */
    ORDERER,
    /** Pushed by an org peer: dropped when too far ahead of the ledger height. */
    GOSSIP,
    /**
     * A block of a {@code RemoteStateResponse}: dropped when too far ahead, like gossip; state
     * transfer waits for room before offering one, so a batch larger than the buffer still lands.
     */
    STATE_TRANSFER
}
