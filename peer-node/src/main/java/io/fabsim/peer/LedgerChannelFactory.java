package io.fabsim.peer;

import io.fabsim.common.configtx.ChannelConfig;
import io.fabsim.common.configtx.ConfigTxException;
import io.fabsim.common.protoutil.Blocks;
import io.fabsim.ledger.BlockStore;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;

/** Creates {@link LedgerChannel}s: the production {@link ChannelFactory}. */
final class LedgerChannelFactory implements ChannelFactory {

    private final ChannelContext ctx;
    private final LiveChannels live;

    LedgerChannelFactory(ChannelContext ctx, LiveChannels live) {
        this.ctx = ctx;
        this.live = live;
    }

    /** A join block must be block 0, hold one CONFIG envelope, and parse as a channel config. */
    @Override
    public String checkJoinBlock(Block block) throws ChannelJoinException {
        long number = block.getHeader().getNumber();
        if (number != 0) {
            throw bad("expected a genesis block (number 0), got block " + Long.toUnsignedString(number));
        }
        if (!Blocks.isConfigBlock(block)) {
            throw bad("not a config block: expected exactly one envelope of type CONFIG");
        }
        try {
            return ChannelConfig.fromBlock(block).channelId();
        } catch (ConfigTxException e) {
            throw bad("not a valid config block: " + e.getMessage());
        }
    }

    @Override
    public PeerChannel create(BlockStore store) throws ChannelInitException {
        LedgerChannel channel = LedgerChannel.open(ctx, store);
        live.add(channel);
        try {
            channel.startDelivery();
        } catch (ChannelInitException | RuntimeException e) {
            live.remove(channel.channelId());
            channel.close();
            throw e;
        }
        return channel;
    }

    /** The current config of every channel this factory started and that still runs. */
    List<ChannelConfig> configs() {
        return live.configs();
    }

    private static ChannelJoinException bad(String reason) {
        return new ChannelJoinException(ChannelJoinException.Reason.BAD_BLOCK, "channel join refused: " + reason);
    }
}
