package io.fabsim.deliver;

import io.fabsim.common.protoutil.Blocks;
import io.fabsim.common.verify.InvalidBlockException;
import io.fabsim.deliver.ConnectionSource.Endpoint;
import org.hyperledger.fabric.protos.common.Block;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the loop does with each block (Fabric's {@code processMsg}): check and verify it, apply a
 * config block to the verifier and the endpoints, and hand it to the {@link BlockSink}. When the
 * sink refuses it, the cursor stays, so the next SeekInfo asks again for that block; when the sink
 * reports that an earlier block was lost ({@link LostBlocksException}), the cursor goes back to the
 * ledger, so the next SeekInfo asks again for every block the ledger does not hold.
 */
final class BlockHandoff {

    private static final Logger log = LoggerFactory.getLogger(BlockHandoff.class);

    private final String channel;
    private final BlockVerifier verifier;
    private final ChainCursor cursor;
    private final DeliverContext ctx;
    private final ConnectionSource orderers;

    BlockHandoff(String channel, BlockVerifier verifier, ChainCursor cursor, DeliverContext ctx, ConnectionSource orderers) {
        this.channel = channel;
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
        log.debug("Adding payload to local buffer, blockNum = [{}]", number);
        try {
            ctx.sink().addBlock(channel, block);
        } catch (LostBlocksException e) {
            cursor.rewind();
            log.warn("Block [{}] received from ordering service wasn't added to payload buffer: {}; asking again "
                    + "from the ledger height", number, e.getMessage());
            return "could not add block [" + number + "] as payload, block [" + e.firstLost() + "] was lost: "
                    + e.getMessage();
        } catch (RuntimeException e) {
            log.warn("Block [{}] received from ordering service wasn't added to payload buffer: {}", number, e.toString());
            return "could not add block [" + number + "] as payload: " + e;
        }
        cursor.advance(block);
        ctx.metrics().blockReceived(channel);
        if (config) {
            log.info("Updated config block {}", number);
            orderers.update(verifier.ordererAddresses());
        }
        return null;
    }
}
