package io.fabsim.deliver;

import com.google.protobuf.ByteString;
import io.fabsim.common.protoutil.Blocks;
import io.fabsim.common.verify.InvalidBlockException;
import io.fabsim.deliver.ConnectionSource.Endpoint;
import java.nio.charset.StandardCharsets;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.gossip.DataMessage;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.hyperledger.fabric.protos.gossip.Payload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the loop does with each block (Fabric's {@code processMsg}): check and verify it, apply a
 * config block to the verifier and the endpoints, put it into the local payload buffer and gossip it.
 */
final class BlockHandoff {

    private static final Logger log = LoggerFactory.getLogger(BlockHandoff.class);

    private final String channel;
    private final ByteString channelBytes;
    private final BlockVerifier verifier;
    private final ChainCursor cursor;
    private final DeliverContext ctx;
    private final ConnectionSource orderers;

    BlockHandoff(String channel, BlockVerifier verifier, ChainCursor cursor, DeliverContext ctx, ConnectionSource orderers) {
        this.channel = channel;
        this.channelBytes = ByteString.copyFrom(channel, StandardCharsets.UTF_8);
        this.verifier = verifier;
        this.cursor = cursor;
        this.ctx = ctx;
        this.orderers = orderers;
    }

    /** Returns null when the block was passed on, else why the stream must end. */
    String handle(Block block, Endpoint endpoint) throws InterruptedException {
        long number = block.getHeader().getNumber();
        boolean config;
        try {
            cursor.check(block);
            verifier.verify(channel, cursor.next(), block);
            config = Blocks.isConfigBlock(block);
            if (config) {
                verifier.updateConfig(block);
            }
        } catch (InvalidBlockException e) {
            ctx.metrics().blockRejected(channel, e.reason());
            return "block [" + Long.toUnsignedString(number) + "] from orderer [" + endpoint + "] could not be verified ("
                    + e.reason() + "): " + e.getMessage();
        } catch (RuntimeException e) {
            return "block [" + Long.toUnsignedString(number) + "] from orderer [" + endpoint + "] could not be verified: " + e;
        }
        Payload payload = Payload.newBuilder().setSeqNum(number).setData(block.toByteString()).build();
        log.debug("Adding payload to local buffer, blockNum = [{}]", number);
        try {
            ctx.sink().addPayload(channel, payload);
        } catch (RuntimeException e) {
            log.warn("Block [{}] received from ordering service wasn't added to payload buffer: {}", number, e.toString());
            return "could not add block [" + number + "] as payload: " + e;
        }
        cursor.advance(block);
        ctx.metrics().blockReceived(channel);
        if (ctx.config().blockGossipEnabled()) {
            gossip(payload);
        }
        if (config) {
            log.info("Updated config block {}", number);
            orderers.update(verifier.ordererAddresses());
        }
        return null;
    }

    private void gossip(Payload payload) {
        GossipMessage message = GossipMessage.newBuilder()
                .setNonce(0)
                .setTag(GossipMessage.Tag.CHAN_AND_ORG)
                .setChannel(channelBytes)
                .setDataMsg(DataMessage.newBuilder().setPayload(payload))
                .build();
        log.debug("Gossiping block [{}]", payload.getSeqNum());
        try {
            ctx.sink().gossip(message);
        } catch (RuntimeException e) {
            log.warn("Gossiping block [{}] failed: {}", payload.getSeqNum(), e.toString());
        }
    }
}
