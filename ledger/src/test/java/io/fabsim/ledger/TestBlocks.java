package io.fabsim.ledger;

import com.google.protobuf.ByteString;
import io.fabsim.common.protoutil.BlockHashing;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.BlockMetadata;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;

/** Synthetic, correctly chained blocks for tests (deterministic for a given seed). */
public final class TestBlocks {

    private TestBlocks() {
    }

    public static Envelope envelope(String channelId, HeaderType type, String txId, byte[] data) {
        ChannelHeader channelHeader = ChannelHeader.newBuilder().setType(type.getNumber()).setChannelId(channelId)
                .setTxId(txId).build();
        Payload payload = Payload.newBuilder()
                .setHeader(Header.newBuilder().setChannelHeader(channelHeader.toByteString()))
                .setData(ByteString.copyFrom(data)).build();
        return Envelope.newBuilder().setPayload(payload.toByteString()).setSignature(ByteString.copyFromUtf8("sig"))
                .build();
    }

    public static Block genesis(String channelId) {
        Envelope config = envelope(channelId, HeaderType.CONFIG, "", new byte[] {1, 2, 3});
        return block(0, new byte[0], List.of(config));
    }

    public static Block block(long number, byte[] previousHash, List<Envelope> envelopes) {
        BlockData.Builder data = BlockData.newBuilder();
        envelopes.forEach(e -> data.addData(e.toByteString()));
        BlockData built = data.build();
        BlockHeader header = BlockHeader.newBuilder().setNumber(number)
                .setPreviousHash(ByteString.copyFrom(previousHash))
                .setDataHash(ByteString.copyFrom(BlockHashing.dataHash(built))).build();
        BlockMetadata metadata = BlockMetadata.newBuilder().addMetadata(ByteString.EMPTY).addMetadata(ByteString.EMPTY)
                .addMetadata(ByteString.EMPTY).build();
        return Block.newBuilder().setHeader(header).setData(built).setMetadata(metadata).build();
    }

    /** The data block after {@code previous}: {@code txCount} transactions {@code tx-<n>-<i>} of random bytes. */
    public static Block next(Block previous, String channelId, int txCount, int txBytes, Random random) {
        long number = previous.getHeader().getNumber() + 1;
        List<Envelope> envelopes = new ArrayList<>();
        for (int i = 0; i < txCount; i++) {
            byte[] payload = new byte[txBytes];
            random.nextBytes(payload);
            envelopes.add(envelope(channelId, HeaderType.ENDORSER_TRANSACTION, "tx-" + number + "-" + i, payload));
        }
        return block(number, BlockHashing.headerHash(previous.getHeader()), envelopes);
    }

    /** Genesis plus {@code count - 1} data blocks. */
    public static List<Block> chain(String channelId, int count, int txCount, int txBytes, long seed) {
        Random random = new Random(seed);
        List<Block> blocks = new ArrayList<>();
        blocks.add(genesis(channelId));
        while (blocks.size() < count) {
            blocks.add(next(blocks.get(blocks.size() - 1), channelId, txCount, txBytes, random));
        }
        return blocks;
    }
}
