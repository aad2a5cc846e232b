package io.fabsim.peer;

import com.google.protobuf.ByteString;
import io.fabsim.common.protoutil.BlockHashing;
import io.fabsim.common.protoutil.Blocks;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;

/** Unsigned blocks for tests with fake channel factories (no MSP involved). */
final class TestBlocks {

    private TestBlocks() {
    }

    static Block genesis(String channelId) {
        return Blocks.newBlock(0, ByteString.EMPTY, List.of(envelope(channelId, HeaderType.CONFIG).toByteString()));
    }

    static Block next(Block previous, String channelId) {
        return Blocks.newBlock(previous.getHeader().getNumber() + 1,
                ByteString.copyFrom(BlockHashing.headerHash(previous.getHeader())),
                List.of(envelope(channelId, HeaderType.MESSAGE).toByteString()));
    }

    static Envelope envelope(String channelId, HeaderType type) {
        ChannelHeader header = ChannelHeader.newBuilder().setType(type.getNumber()).setChannelId(channelId).build();
        Payload payload = Payload.newBuilder()
                .setHeader(Header.newBuilder().setChannelHeader(header.toByteString()))
                .build();
        return Envelope.newBuilder().setPayload(payload.toByteString()).build();
    }
}
