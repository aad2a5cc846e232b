package io.fabsim.orderer.deliver;

import com.google.protobuf.InvalidProtocolBufferException;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;

/** Fabric's {@code protoutil.IsConfigBlock}: one envelope whose channel header type is CONFIG. */
public final class ConfigBlocks {

    private ConfigBlocks() {
    }

    public static boolean isConfigBlock(Block block) {
        if (!block.hasData() || block.getData().getDataCount() != 1) {
            return false;
        }
        try {
            Envelope envelope = Envelope.parseFrom(block.getData().getData(0));
            Payload payload = Payload.parseFrom(envelope.getPayload());
            if (!payload.hasHeader()) {
                return false;
            }
            ChannelHeader header = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
            return header.getType() == HeaderType.CONFIG_VALUE;
        } catch (InvalidProtocolBufferException e) {
            return false;
        }
    }
}
