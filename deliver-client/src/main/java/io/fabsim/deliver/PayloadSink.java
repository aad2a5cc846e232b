package io.fabsim.deliver;

import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.hyperledger.fabric.protos.gossip.Payload;

/**
 * Where verified blocks go (Fabric's {@code GossipServiceAdapter}): the local payload buffer, and
 * gossip to the organization's peers. peer-node wires it to the gossip module.
 */
public interface PayloadSink {

    /**
     * Adds a verified block to the channel's local payload buffer ({@code seq_num} = block number,
     * {@code data} = the marshaled block). May block while the buffer is full. A runtime exception
     * means the block was not taken: the deliver client counts a failure and asks again.
     */
    void addPayload(String channel, Payload payload) throws InterruptedException;

    /** Sends {@code message} (tag {@code CHAN_AND_ORG}, a {@code DataMessage}) to the org's peers. */
    void gossip(GossipMessage message);
}
