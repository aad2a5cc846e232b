package io.fabsim.gossip;

import com.google.protobuf.ByteString;
import io.fabsim.ledger.BlockStore;
import io.fabsim.ledger.LedgerException;
import java.nio.charset.StandardCharsets;
import org.hyperledger.fabric.protos.gossip.DataDigest;
import org.hyperledger.fabric.protos.gossip.DataUpdate;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.hyperledger.fabric.protos.gossip.PullMsgType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answering half of Fabric's block pull mediator ({@code gossip/gossip/pull}): a peer of the
 * channel sends {@code GossipHello}; this peer answers with a {@code DataDigest} of the blocks it
 * holds for pull (the last {@code maxBlockCountToStore} committed, as Fabric's block message store;
 * digests are block numbers in decimal); the peer then sends a {@code DataRequest} for the ones it
 * lacks, answered by a {@code DataUpdate} carrying them as {@code DataMessage}s. Each answer echoes
 * the nonce of the hello. Only peers that announced the channel (StateInfo) are answered.
 */
final class BlockPullResponder {

    private static final Logger log = LoggerFactory.getLogger(BlockPullResponder.class);

    private final int maxBlockCountToStore;
    private final PeerLinks links;

    BlockPullResponder(int maxBlockCountToStore, PeerLinks links) {
        this.maxBlockCountToStore = maxBlockCountToStore;
        this.links = links;
    }

    /** Answers a hello or a data request of the block pull; other pull messages are not for a responder. */
    void serve(RemotePeer from, ChannelGossip channel, GossipMessage message) {
        if (!channel.joinedBy(from.pkiId())) {
            log.debug("channel {}: block pull from {}, which announced no StateInfo for it: ignored", channel.id,
                    from.name());
            return;
        }
        BlockStore store = channel.committer.store();
        long height = store.height();
        long first = Math.max(1, height - maxBlockCountToStore);
        GossipMessage.Builder reply = GossipMessage.newBuilder().setChannel(message.getChannel())
                .setTag(GossipMessage.Tag.CHAN_AND_ORG);
        if (message.hasHello() && message.getHello().getMsgType() == PullMsgType.BLOCK_MSG) {
            DataDigest.Builder digest = DataDigest.newBuilder().setNonce(message.getHello().getNonce())
                    .setMsgType(PullMsgType.BLOCK_MSG);
            for (long n = first; n < height; n++) {
                digest.addDigests(ByteString.copyFrom(Long.toString(n), StandardCharsets.US_ASCII));
            }
            from.send(GossipMessages.unsigned(reply.setDataDig(digest).build()));
        } else if (message.hasDataReq() && message.getDataReq().getMsgType() == PullMsgType.BLOCK_MSG) {
            DataUpdate.Builder update = DataUpdate.newBuilder().setNonce(message.getDataReq().getNonce())
                    .setMsgType(PullMsgType.BLOCK_MSG);
            long size = 0;
            for (ByteString digest : message.getDataReq().getDigestsList()) {
                long n = number(digest);
                if (n < first || n >= height) {
                    continue;
                }
                try {
                    GossipMessage block = GossipMessages.block(channel.id, n, ByteString.copyFrom(store.blockBytes(n)));
                    size += block.getSerializedSize();
                    if (size > links.maxMessageBytes() / 2) {
                        break;
                    }
                    update.addData(GossipMessages.unsigned(block));
                } catch (LedgerException e) {
                    log.warn("channel {}: cannot serve block {} to {} by pull: {}", channel.id, n, from.name(),
                            e.getMessage());
                }
            }
            log.debug("channel {}: {} blocks sent by pull to {}", channel.id, update.getDataCount(), from.name());
            from.send(GossipMessages.unsigned(reply.setDataUpdate(update).build()));
        }
    }

    private static long number(ByteString digest) {
        try {
            return Long.parseLong(digest.toString(StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
