package io.fabsim.peer;

import com.google.protobuf.InvalidProtocolBufferException;
import io.fabsim.deliver.BlockVerifier;
import io.fabsim.deliver.BlockVerifierFactory;
import io.fabsim.deliver.PayloadSink;
import io.fabsim.gossip.AddResult;
import io.fabsim.common.configtx.ChannelConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.hyperledger.fabric.protos.gossip.Payload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The started channels as the deliver service sees them: where verified blocks go (the channel's
 * payload buffer, source ORDERER: Fabric's {@code GossipServiceAdapter.AddPayload}) and the verifier
 * each delivery run starts from (the channel's committed config).
 */
final class LiveChannels implements PayloadSink, BlockVerifierFactory {

    private static final Logger log = LoggerFactory.getLogger(LiveChannels.class);

    private final Map<String, LedgerChannel> channels = new ConcurrentHashMap<>();

    void add(LedgerChannel channel) {
        channels.put(channel.channelId(), channel);
    }

    void remove(String channelId) {
        channels.remove(channelId);
    }

    /** The current config of every started channel. */
    List<ChannelConfig> configs() {
        return channels.values().stream().map(LedgerChannel::config).toList();
    }

    @Override
    public void addPayload(String channel, Payload payload) throws InterruptedException {
        LedgerChannel target = channels.get(channel);
        if (target == null) {
            throw new IllegalStateException("channel " + channel + ": not started on this peer");
        }
        Block block;
        try {
            block = Block.parseFrom(payload.getData());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("channel " + channel + ": payload " + payload.getSeqNum()
                    + " is not a block: " + e.getMessage(), e);
        }
        AddResult result = target.addFromOrderer(block);
        switch (result) {
            case TIMED_OUT, CLOSED -> throw new IllegalStateException("channel " + channel + ": block "
                    + payload.getSeqNum() + " not taken by the payload buffer: " + result);
            default -> log.debug("Channel {}: block {} from the orderer: {}", channel, payload.getSeqNum(), result);
        }
    }

    /**
     * Nothing to do here: a block is disseminated to the org's peers by gossip when it enters the
     * payload buffer, so the deliver client's separate gossip call carries no extra work.
     */
    @Override
    public void gossip(GossipMessage message) {
        log.trace("Block {} handed to gossip with the payload buffer", message.getDataMsg().getPayload().getSeqNum());
    }

    @Override
    public Optional<BlockVerifier> forChannel(String channel) {
        return Optional.ofNullable(channels.get(channel)).map(c -> new ChannelVerifiers.ForDeliver(c.config()));
    }
}
