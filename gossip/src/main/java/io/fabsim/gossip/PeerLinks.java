package io.fabsim.gossip;

import java.util.Collection;

/** The transport as the gossip logic sees it: the authenticated org peers connected right now. */
public interface PeerLinks {

    /** This peer's own PKI-ID. */
    com.google.protobuf.ByteString localPkiId();

    /** One entry per connected peer (by PKI-ID), whatever the number of connections to it. */
    Collection<RemotePeer> peers();

    /** The largest message a peer accepts, in bytes (gRPC's maxRecvMsgSize): state responses stay below it. */
    int maxMessageBytes();
}
