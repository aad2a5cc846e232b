package io.fabsim.gossip;

import org.hyperledger.fabric.protos.gossip.Envelope;
import org.hyperledger.fabric.protos.gossip.GossipMessage;

/**
 * Where the transport hands leadership messages (with their envelope, whose signature the handler
 * checks) instead of passing them to the {@link GossipMessageHandler}.
 */
@FunctionalInterface
public interface LeadershipHandler {

    void received(RemotePeer from, Envelope envelope, GossipMessage message);
}
