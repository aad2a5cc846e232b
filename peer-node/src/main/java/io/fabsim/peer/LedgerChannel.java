package io.fabsim.peer;

import io.fabsim.common.configtx.ChannelConfig;
import io.fabsim.common.configtx.ConfigTxException;
import io.fabsim.common.protoutil.Blocks;
import io.fabsim.common.protoutil.EnvelopeException;
import io.fabsim.common.protoutil.SignedData;
import io.fabsim.common.verify.PolicyEvaluationException;
import io.fabsim.common.verify.PolicyEvaluator;
import io.fabsim.deliver.DeliveryServiceException;
import io.fabsim.deliver.LedgerInfo;
import io.fabsim.deliver.LostBlocksException;
import io.fabsim.deliverserver.AccessDeniedException;
import io.fabsim.deliverserver.DeliverChain;
import io.fabsim.deliverserver.ErrorSignal;
import io.fabsim.election.LeadershipListener;
import io.fabsim.gossip.AddResult;
import io.fabsim.gossip.Committer;
import io.fabsim.gossip.PayloadBuffer;
import io.fabsim.gossip.TxIdIndex;
import io.fabsim.ledger.BlockStore;
import io.fabsim.ledger.ChainInfo;
import io.fabsim.ledger.LedgerException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.hyperledger.fabric.protos.common.Block;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One channel of a running peer, as Fabric's {@code createChannel} + {@code InitializeChannel}
 * build it: the channel's latest config (from the ledger's last-config block), a payload buffer and
 * a committer, then by mode: election (join the org's election; deliver while leader), static
 * leader (deliver at once), or none (blocks by gossip only).
 */
final class LedgerChannel implements PeerChannel, LeadershipListener, DeliverChain {

    private static final Logger log = LoggerFactory.getLogger(LedgerChannel.class);
    static final String READERS_POLICY = "/Channel/Application/Readers";

    private final ChannelContext ctx;
    private final BlockStore store;
    private final String channelId;
    private final PayloadBuffer buffer;
    private final Committer committer;
    private final ErrorSignal errors = new ErrorSignal();
    private volatile ChannelConfig config;
    private volatile PolicyEvaluator readers;

    private LedgerChannel(ChannelContext ctx, BlockStore store, ChannelConfig config) {
        this.ctx = ctx;
        this.store = store;
        this.channelId = store.channelId();
        this.config = config;
        this.readers = readersOf(config);
        this.buffer = new PayloadBuffer(channelId, store.height(), ctx.buffers().capacity(),
                ctx.buffers().ordererWait(), ctx.metrics().channel(channelId), ctx.clock());
        this.committer = new Committer(new Committer.Setup(ctx.peerId(), store, buffer,
                ChannelVerifiers.forCommitter(config), TxIdIndex.inMemory(), ctx.clock(), ctx.metrics().channel(channelId)));
        committer.setConfigListener((channel, block) -> configCommitted(block));
        committer.setTxValidator(new FabricTxValidator(store, () -> this.config));
    }

    /**
     * Reads the channel's config from its ledger and starts its committer; {@link #startDelivery()}
     * follows once the channel is registered where the deliver service finds it.
     */
    static LedgerChannel open(ChannelContext ctx, BlockStore store) throws ChannelInitException {
        LedgerChannel channel = new LedgerChannel(ctx, store, latestConfig(store));
        try {
            channel.committer.start();
        } catch (LedgerException e) {
            channel.buffer.close();
            throw new ChannelInitException("channel " + store.channelId() + ": committer did not start: " + e.getMessage(), e);
        }
        ctx.gossip().joinChannel(channel.committer);
        return channel;
    }

    /** The config of the ledger's latest config block (its index from the last block's metadata). */
    static ChannelConfig latestConfig(BlockStore store) throws ChannelInitException {
        String channelId = store.channelId();
        long height = store.height();
        if (height == 0) {
            throw new ChannelInitException("channel " + channelId + ": the ledger is empty (no genesis block)");
        }
        try {
            long index = Blocks.lastConfigIndex(store.block(height - 1));
            ChannelConfig config = ChannelConfig.fromBlock(store.block(index));
            if (!config.channelId().equals(channelId)) {
                throw new ChannelInitException("channel " + channelId + ": config block " + index + " is for channel "
                        + config.channelId());
            }
            return config;
        } catch (LedgerException | EnvelopeException | ConfigTxException e) {
            throw new ChannelInitException("channel " + channelId + ": no valid config block: " + e.getMessage(), e);
        }
    }

    /**
     * By mode: join the election (keeping a warm standby connection to an orderer while not leading,
     * when {@code peer.deliveryclient.fabsim.warmStandby} is on), start delivery at once (static
     * leader), or only log (none).
     */
    void startDelivery() throws ChannelInitException {
        if (ctx.mode() instanceof LeaderMode.Static) {
            try {
                ctx.delivery().startDeliverForChannel(channelId, ledgerInfo(), () -> log.warn(
                        "Delivery for channel {} ended; as static leader this peer does not yield", channelId));
            } catch (DeliveryServiceException e) {
                throw new ChannelInitException("channel " + channelId + ": delivery did not start: " + e.getMessage(), e);
            }
        } else if (ctx.mode() instanceof LeaderMode.Elected) {
            // before joining: an election won at once finds the standby connection already dialling
            ctx.delivery().keepWarm(channelId);
            ctx.election().orElseThrow().join(channelId, true, this);
        } else {
            log.info("Channel {}: neither orgLeader nor useLeaderElection is set: this peer will not "
                    + "pull blocks from the ordering service; blocks come by gossip only", channelId);
        }
    }

    /**
     * A verified block from the deliver client (Fabric's {@code AddPayload}, then {@code Gossip} when
     * {@code peer.deliveryclient.blockGossipEnabled}): into the payload buffer, waiting while it is
     * full, and when new and block gossip is on, pushed to the org's peers. The one place that decides
     * whether a block from the orderer is gossiped; blocks from peers follow gossip's own rules.
     *
     * @throws LostBlocksException when a block below this one, handed over earlier, is neither
     *     committed nor waiting (the committer refused it): the deliver client then asks again from
     *     the ledger height
     */
    AddResult addFromOrderer(Block block) throws InterruptedException {
        long number = block.getHeader().getNumber();
        OptionalLong lost = buffer.missingBelow(number);
        if (lost.isPresent()) {
            throw new LostBlocksException("channel " + channelId + ": block " + number + " not taken: block "
                    + lost.getAsLong() + " from the orderer was refused by the committer and must be fetched again",
                    lost.getAsLong());
        }
        AddResult result = ctx.gossip().addFromOrderer(channelId, block);
        if (result.accepted() && ctx.blockGossip()) {
            ctx.gossip().gossip(channelId, block);
        }
        return result;
    }

    Committer committer() {
        return committer;
    }

    @Override
    public void onLeadershipChanged(String channel, boolean isLeader) {
        MDC.put("channel", channelId);
        try {
            if (isLeader) {
                log.info("Elected as a leader, starting delivery service for channel {}", channelId);
                ctx.delivery().startDeliverForChannel(channelId, ledgerInfo(), this::yieldLeadership);
            } else {
                log.info("Renounced leadership, stopping delivery service for channel {}", channelId);
                if (ctx.delivery().isDelivering(channelId)) {
                    ctx.delivery().stopDeliverForChannel(channelId);
                }
            }
        } catch (DeliveryServiceException e) {
            log.warn("Channel {}: {}", channelId, e.getMessage());
        } finally {
            MDC.remove("channel");
        }
    }

    private void yieldLeadership() {
        MDC.put("channel", channelId);
        try {
            log.warn("Delivery for channel {} gave up; yielding leadership", channelId);
            ctx.election().ifPresent(e -> e.yield(channelId));
        } finally {
            MDC.remove("channel");
        }
    }

    private LedgerInfo ledgerInfo() {
        return new LedgerInfo() {
            @Override
            public long ledgerHeight() {
                return store.height();
            }

            @Override
            public Optional<byte[]> currentBlockHash() {
                ChainInfo info = store.info();
                return info.height() == 0 ? Optional.empty() : Optional.of(info.currentBlockHash());
            }
        };
    }

    private void configCommitted(Block block) {
        try {
            ChannelConfig next = ChannelConfig.fromBlock(block);
            committer.replaceVerifier(ChannelVerifiers.forCommitter(next));
            readers = readersOf(next);
            config = next;
            log.info("Channel {}: config block {} committed, config sequence {}", channelId,
                    block.getHeader().getNumber(), next.sequence());
        } catch (ConfigTxException e) {
            log.error("Channel {}: config block {} cannot be applied, keeping sequence {}: {}", channelId,
                    block.getHeader().getNumber(), config.sequence(), e.getMessage());
        }
    }

    private static PolicyEvaluator readersOf(ChannelConfig config) {
        return PolicyEvaluator.forConfig(config);
    }

    /** The current channel config (the deliver client's verifiers start from it). */
    ChannelConfig config() {
        return config;
    }

    @Override
    public String channelId() {
        return channelId;
    }

    @Override
    public LeaderMode mode() {
        return ctx.mode();
    }

    @Override
    public BlockStore store() {
        return store;
    }

    @Override
    public DeliverChain deliverChain() {
        return this;
    }

    @Override
    public BlockStore blocks() {
        return store;
    }

    @Override
    public ErrorSignal errorSignal() {
        return errors;
    }

    @Override
    public long configSequence() {
        return config.sequence();
    }

    /** A peer's Deliver serves the channel's readers ({@code /Channel/Application/Readers}), as Fabric's ACL. */
    @Override
    public void checkReaders(SignedData request) throws AccessDeniedException {
        try {
            readers.evaluate(READERS_POLICY, List.of(request));
        } catch (PolicyEvaluationException e) {
            throw new AccessDeniedException("channel " + channelId + ": " + READERS_POLICY + ": " + e.getMessage(), e);
        }
    }

    @Override
    public PeerStatus.ChannelStatus status() {
        ChainInfo info = store.info();
        boolean leader = false;
        String leaderId = null;
        if (ctx.mode() instanceof LeaderMode.Static) {
            leader = true;
            leaderId = ctx.peerId();
        } else if (ctx.mode() instanceof LeaderMode.Elected) {
            leader = ctx.election().orElseThrow().isLeader(channelId);
            leaderId = ctx.election().orElseThrow().leaderOf(channelId).orElse(null);
        }
        return new PeerStatus.ChannelStatus(channelId, info.height(), info.currentBlockHashHex(), ctx.mode().jsonName(),
                leader, leaderId, ctx.delivery().isDelivering(channelId),
                ctx.delivery().streamingFrom(channelId).orElse(null));
    }

    /** Stops delivery (leaving the election), drains the committer, closes the buffer; the ledger stays open. */
    @Override
    public void close() {
        if (ctx.mode() instanceof LeaderMode.Elected) {
            ctx.election().orElseThrow().leave(channelId);
            ctx.delivery().stopWarm(channelId);
        }
        if (ctx.delivery().isDelivering(channelId)) {
            try {
                ctx.delivery().stopDeliverForChannel(channelId);
            } catch (DeliveryServiceException e) {
                log.debug("Channel {}: {}", channelId, e.getMessage());
            }
        }
        ctx.gossip().leaveChannel(channelId);
        committer.close();
        buffer.close();
        errors.raise("channel " + channelId + " closed");
    }
}
