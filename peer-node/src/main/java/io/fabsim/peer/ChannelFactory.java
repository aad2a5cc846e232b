package io.fabsim.peer;

import io.fabsim.ledger.BlockStore;
import org.hyperledger.fabric.protos.common.Block;

/**
 * Creates channels for {@link Channels}, as Fabric's {@code Peer.createChannel} with
 * {@code GossipService.InitializeChannel}: the production one wires ledger, committer, deliver
 * client and election; tests use fakes.
 */
interface ChannelFactory {

    /**
     * Checks that {@code block} is a genesis config block a channel can be joined with and returns
     * the channel id it names; {@link ChannelJoinException.Reason#BAD_BLOCK} with the reason if not.
     */
    String checkJoinBlock(Block block) throws ChannelJoinException;

    /** Initializes the channel whose ledger is {@code store} (read its latest config, start it). */
    PeerChannel create(BlockStore store) throws ChannelInitException;
}
