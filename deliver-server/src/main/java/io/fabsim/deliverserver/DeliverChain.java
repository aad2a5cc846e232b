package io.fabsim.deliverserver;

import io.fabsim.common.protoutil.SignedData;
import io.fabsim.ledger.BlockStore;

/** What the Deliver handler needs from one channel (Fabric's {@code deliver.Chain}). */
public interface DeliverChain {

    /** The channel's blocks: height, random reads and waiting iterators. */
    BlockStore blocks();

    /** Raised when the chain can no longer serve (Fabric's {@code Errored()} channel closes). */
    ErrorSignal errorSignal();

    /**
     * The current config sequence; when it grows, a long-running request has its access
     * re-evaluated before the next block (Fabric's {@code SessionAccessControl}).
     */
    long configSequence();

    /**
     * Checks that the request's creator signed it and satisfies the channel's reader policy
     * ({@code /Channel/Readers} on an orderer).
     *
     * @throws AccessDeniedException naming the creator and the policy that failed
     */
    void checkReaders(SignedData request) throws AccessDeniedException;
}
