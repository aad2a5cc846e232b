package io.fabsim.deliver;

import org.hyperledger.fabric.protos.common.Block;

/**
 * Where verified blocks go (Fabric's {@code GossipServiceAdapter.AddPayload}): the channel's local
 * payload buffer. Whether a block from the orderer is then gossiped to the organization's peers
 * ({@code peer.deliveryclient.blockGossipEnabled}) is the sink's decision. peer-node wires it to
 * the gossip module.
 */
public interface BlockSink {

    /**
     * Takes a verified block of {@code channel}. May block while the buffer is full. A runtime
     * exception means the block was not taken: the deliver client counts a failure, ends the stream
     * and asks again from that block; a {@link LostBlocksException} means an earlier block never
     * reached the ledger, and the client asks again from the ledger height.
     */
    void addBlock(String channel, Block block) throws InterruptedException;
}
