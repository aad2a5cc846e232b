package io.fabsim.gossip;

import java.util.Optional;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.hyperledger.fabric.protos.gossip.GossipMessage.Tag;
import org.hyperledger.fabric.protos.gossip.PullMsgType;

/**
 * Fabric's tag rule ({@code protoext.IsTagLegal}): each message type travels with one routing tag;
 * a message with another is dropped. Types Fabric leaves unchecked are accepted with any tag.
 */
final class MessageRules {

    private MessageRules() {
    }

    /** Why the message's tag is illegal for its type, or empty when it is legal. */
    static Optional<String> illegalTag(GossipMessage message) {
        Tag expected = switch (message.getContentCase()) {
            case DATA_MSG, LEADERSHIP_MSG -> Tag.CHAN_AND_ORG;
            case ALIVE_MSG, MEM_REQ, MEM_RES -> Tag.EMPTY;
            case PEER_IDENTITY -> Tag.ORG_ONLY;
            case STATE_INFO, STATE_INFO_PULL_REQ, STATE_SNAPSHOT, STATE_REQUEST, STATE_RESPONSE -> Tag.CHAN_OR_ORG;
            case HELLO -> pullTag(message.getHello().getMsgType());
            case DATA_DIG -> pullTag(message.getDataDig().getMsgType());
            case DATA_REQ -> pullTag(message.getDataReq().getMsgType());
            case DATA_UPDATE -> pullTag(message.getDataUpdate().getMsgType());
            default -> null;
        };
        if (message.getTag() == Tag.UNDEFINED) {
            return Optional.of(message.getContentCase() + " with an undefined tag");
        }
        if (expected != null && message.getTag() != expected) {
            return Optional.of(message.getContentCase() + " with tag " + message.getTag() + ", expected " + expected);
        }
        return Optional.empty();
    }

    private static Tag pullTag(PullMsgType type) {
        return type == PullMsgType.IDENTITY_MSG ? Tag.EMPTY : Tag.CHAN_AND_ORG;
    }
}
