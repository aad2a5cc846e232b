package io.fabsim.peer;

import io.fabsim.deliverserver.DeliverChain;
import io.fabsim.ledger.BlockStore;

/**
 * One joined channel at run time: its ledger and whatever the channel factory started for it
 * (payload buffer, committer, deliver client, election membership). Closing it stops those, not the
 * ledger, which the ledger manager closes.
 */
interface PeerChannel extends AutoCloseable {

    String channelId();

    LeaderMode mode();

    BlockStore store();

    /** The channel as the peer's Deliver service serves it (committed blocks, reader policy). */
    DeliverChain deliverChain();

    /** A consistent snapshot for /status. */
    PeerStatus.ChannelStatus status();

    @Override
    void close();
}
