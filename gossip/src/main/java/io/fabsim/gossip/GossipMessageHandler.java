package io.fabsim.gossip;

import org.hyperledger.fabric.protos.gossip.GossipMessage;

/** What the transport tells the gossip logic. Calls for one connection come one at a time. */
public interface GossipMessageHandler {

    /** A peer passed the handshake and can be sent to. */
    void connected(RemotePeer peer);

    /** The last connection to a peer closed. */
    void disconnected(RemotePeer peer);

    /** A message (other than the handshake) from an authenticated peer. */
    void received(RemotePeer from, GossipMessage message);
}
