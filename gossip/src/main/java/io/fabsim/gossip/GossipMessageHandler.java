package io.fabsim.gossip;

import org.hyperledger.fabric.protos.gossip.Envelope;
import org.hyperledger.fabric.protos.gossip.GossipMessage;

/** What the transport tells the gossip logic. Calls for one connection come one at a time. */
public interface GossipMessageHandler {

    /** A peer passed the handshake and can be sent to. */
    void connected(RemotePeer peer);

    /** The last connection to a peer closed. */
    void disconnected(RemotePeer peer);

    /** A message (other than the handshake) from an authenticated peer. */
    void received(RemotePeer from, GossipMessage message);

    /** The same, with the envelope it came in (its signature, its secret), for handlers that verify. */
    default void received(RemotePeer from, Envelope envelope, GossipMessage message) {
        received(from, message);
    }
}
