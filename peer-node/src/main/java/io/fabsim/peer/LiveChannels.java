package io.fabsim.peer;

import io.fabsim.deliver.BlockSink;
import io.fabsim.deliver.BlockVerifier;
import io.fabsim.deliver.BlockVerifierFactory;
import io.fabsim.deliver.ConfigBlockVerifier;
import io.fabsim.gossip.AddResult;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.hyperledger.fabric.protos.common.Block;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The started channels as the deliver service sees them: where verified blocks go (the channel's
 * {@link LedgerChannel#addFromOrderer}: payload buffer, then gossip when enabled; Fabric's
 * {@code GossipServiceAdapter}) and the verifier each delivery run starts from (the channel's
 * committed config).
 */
final class LiveChannels implements BlockSink, BlockVerifierFactory {

    private static final Logger log = LoggerFactory.getLogger(LiveChannels.class);

    private final Map<String, LedgerChannel> channels = new ConcurrentHashMap<>();

    void add(LedgerChannel channel) {
        channels.put(channel.channelId(), channel);
    }

    void remove(String channelId) {
        channels.remove(channelId);
    }

    @Override
    public void addBlock(String channel, Block block) throws InterruptedException {
        LedgerChannel target = channels.get(channel);
        if (target == null) {
            throw new IllegalStateException("channel " + channel + ": not started on this peer");
        }
        long number = block.getHeader().getNumber();
        AddResult result = target.addFromOrderer(block);
        switch (result) {
            case TIMED_OUT, CLOSED -> throw new IllegalStateException("channel " + channel + ": block "
                    + number + " not taken by the payload buffer: " + result);
            default -> log.debug("Channel {}: block {} from the orderer: {}", channel, number, result);
        }
    }

    @Override
    public Optional<BlockVerifier> forChannel(String channel) {
        return Optional.ofNullable(channels.get(channel)).map(c -> new ConfigBlockVerifier(c.config()));
    }
}
