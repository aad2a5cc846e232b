package io.fabsim.gossip;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import org.hyperledger.fabric.protos.gossip.DataMessage;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.hyperledger.fabric.protos.gossip.Payload;
import org.hyperledger.fabric.protos.gossip.PeerTime;
import org.hyperledger.fabric.protos.gossip.Properties;
import org.hyperledger.fabric.protos.gossip.RemoteStateRequest;
import org.hyperledger.fabric.protos.gossip.RemoteStateResponse;
import org.hyperledger.fabric.protos.gossip.StateInfo;
import org.hyperledger.fabric.protos.common.Block;

/**
 * The {@code GossipMessage}s fabsim exchanges, built in one place, as Fabric builds them: the
 * channel in clear in {@code GossipMessage.channel}, except in StateInfo, where only Fabric's
 * channel MAC names it.
 */
public final class GossipMessages {

    private GossipMessages() {
    }

    /** An unsigned envelope (Fabric signs only membership and identity messages; blocks carry the orderer's signature). */
    public static Envelope unsigned(GossipMessage message) {
        return Envelope.newBuilder().setPayload(message.toByteString()).build();
    }

    static GossipMessage block(String channelId, Block block) {
        return GossipMessage.newBuilder().setChannel(channel(channelId)).setTag(GossipMessage.Tag.CHAN_AND_ORG)
                .setDataMsg(DataMessage.newBuilder().setPayload(payload(block))).build();
    }

    /** A block already serialized (as stored), for serving without a parse. */
    static GossipMessage block(String channelId, long number, ByteString blockBytes) {
        return GossipMessage.newBuilder().setChannel(channel(channelId)).setTag(GossipMessage.Tag.CHAN_AND_ORG)
                .setDataMsg(DataMessage.newBuilder().setPayload(Payload.newBuilder().setSeqNum(number)
                        .setData(blockBytes))).build();
    }

    static Payload payload(Block block) {
        return Payload.newBuilder().setSeqNum(block.getHeader().getNumber()).setData(block.toByteString()).build();
    }

    /** Fabric's StateInfo: {@code timestamp} is (incarnation, sequence), as Fabric's PeerTime. */
    static GossipMessage stateInfo(String channelId, ByteString pkiId, long height, PeerTime time) {
        StateInfo info = StateInfo.newBuilder().setPkiId(pkiId).setTimestamp(time)
                .setChannelMAC(SignedMessages.channelMac(pkiId, channelId))
                .setProperties(Properties.newBuilder().setLedgerHeight(height)).build();
        return GossipMessage.newBuilder().setTag(GossipMessage.Tag.CHAN_OR_ORG).setStateInfo(info).build();
    }

    static GossipMessage stateRequest(String channelId, long nonce, long start, long end) {
        return GossipMessage.newBuilder().setChannel(channel(channelId)).setNonce(nonce)
                .setTag(GossipMessage.Tag.CHAN_OR_ORG)
                .setStateRequest(RemoteStateRequest.newBuilder().setStartSeqNum(start).setEndSeqNum(end)).build();
    }

    static GossipMessage stateResponse(String channelId, long nonce, RemoteStateResponse response) {
        return GossipMessage.newBuilder().setChannel(channel(channelId)).setNonce(nonce)
                .setTag(GossipMessage.Tag.CHAN_OR_ORG).setStateResponse(response).build();
    }

    static ByteString channel(String channelId) {
        return ByteString.copyFrom(channelId, StandardCharsets.UTF_8);
    }

    static String channelOf(GossipMessage message) {
        return message.getChannel().toStringUtf8();
    }
}
