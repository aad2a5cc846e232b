package io.fabsim.election.fabric;

import com.google.protobuf.ByteString;
import java.util.List;

/** The gossip layer of the whole peer as Fabric's election sees it: one adapter per channel. */
public interface ElectionTransport {

    /** This peer's PKI-ID. */
    ByteString selfId();

    /** The adapter for one channel's leadership messages; the caller closes it. */
    LeaderElectionAdapter adapter(String channel);

    /** The org's peers this peer can reach now (for {@code members()}); this peer excluded. */
    List<ElectionPeer> orgPeers();
}
