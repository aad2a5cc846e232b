package io.fabsim.ledger.testing;

import com.google.protobuf.ByteString;
import io.fabsim.common.protoutil.BlockHashing;
import io.fabsim.ledger.BlockStore;
import io.fabsim.ledger.LedgerException;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.BlockMetadata;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;

/** Hash-linked test blocks: a CONFIG block 0, then data blocks of MESSAGE envelopes. */
public final class TestBlocks {

    private TestBlocks() {
    }

    public static Envelope envelope(String channelId, HeaderType type, int size) {
        ChannelHeader channelHeader = ChannelHeader.newBuilder().setType(type.getNumber()).setChannelId(channelId).build();
        Payload payload = Payload.newBuilder()
                .setHeader(Header.newBuilder().setChannelHeader(channelHeader.toByteString()))
                .setData(ByteString.copyFrom(new byte[size])).build();
        return Envelope.newBuilder().setPayload(payload.toByteString()).build();
    }

    public static Block block(long number, ByteString previousHash, Envelope... envelopes) {
        BlockData.Builder data = BlockData.newBuilder();
        for (Envelope envelope : envelopes) {
            data.addData(envelope.toByteString());
        }
        BlockData built = data.build();
        BlockHeader header = BlockHeader.newBuilder().setNumber(number).setPreviousHash(previousHash)
                .setDataHash(ByteString.copyFrom(BlockHashing.dataHash(built))).build();
        BlockMetadata.Builder metadata = BlockMetadata.newBuilder();
        for (int i = 0; i < 5; i++) {
            metadata.addMetadata(ByteString.copyFromUtf8("meta" + i));
        }
        return Block.newBuilder().setHeader(header).setData(built).setMetadata(metadata).build();
    }

    /** Appends a config genesis block to an empty store. */
    public static void genesis(BlockStore store) throws LedgerException {
        store.append(block(0, ByteString.EMPTY, envelope(store.channelId(), HeaderType.CONFIG, 100)));
    }

    /** Appends one data block of {@code txs} MESSAGE envelopes of {@code size} bytes each. */
    public static Block appendData(BlockStore store, int txs, int size) throws LedgerException {
        Block previous = store.block(store.height() - 1);
        Envelope[] envelopes = new Envelope[txs];
        for (int i = 0; i < txs; i++) {
            envelopes[i] = envelope(store.channelId(), HeaderType.MESSAGE, size);
        }
        Block block = block(store.height(), BlockHashing.headerHashBytes(previous.getHeader()), envelopes);
        store.append(block);
        return block;
    }

    /** Appends a config block (one CONFIG envelope). */
    public static Block appendConfig(BlockStore store) throws LedgerException {
        Block previous = store.block(store.height() - 1);
        Block block = block(store.height(), BlockHashing.headerHashBytes(previous.getHeader()),
                envelope(store.channelId(), HeaderType.CONFIG, 50));
        store.append(block);
        return block;
    }
}
