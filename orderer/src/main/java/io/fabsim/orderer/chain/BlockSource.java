package io.fabsim.orderer.chain;

import org.hyperledger.fabric.protos.common.Block;

/** Where a follower gets blocks from: another orderer's Deliver service (see the gRPC adapter). */
public interface BlockSource extends AutoCloseable {

    /** Opens a stream of the channel's blocks from number {@code from} on, waiting for new ones. */
    BlockStream open(String channelId, long from) throws Exception;

    /** One open stream. */
    interface BlockStream extends AutoCloseable {

        /** The next block, waiting for it; null when the source ended the stream. */
        Block next() throws Exception;

        /** Cancels the stream; a thread waiting in {@link #next()} wakes with an exception or null. */
        @Override
        void close();
    }

    @Override
    void close();
}
