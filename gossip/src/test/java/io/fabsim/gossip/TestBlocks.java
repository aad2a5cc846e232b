package io.fabsim.gossip;

import com.google.protobuf.ByteString;
import io.fabsim.common.protoutil.BlockHashing;
import io.fabsim.common.verify.InvalidBlockException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.BlockMetadata;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;

/** Unsigned test chains with correct header links and data hashes. */
public final class TestBlocks {

    private TestBlocks() {
    }

    public static Block genesis(String channel) {
        return block(0, ByteString.EMPTY, List.of(envelope(channel, HeaderType.CONFIG, "config-0")));
    }

    /** The block after {@code previous} with one MESSAGE transaction per tx id. */
    public static Block next(Block previous, String channel, String... txIds) {
        List<Envelope> envelopes = new ArrayList<>();
        for (String txId : txIds) {
            envelopes.add(envelope(channel, HeaderType.MESSAGE, txId));
        }
        return block(previous.getHeader().getNumber() + 1, BlockHashing.headerHashBytes(previous.getHeader()),
                envelopes);
    }

    /** A chain of {@code length} blocks (genesis included), each with one transaction {@code tx-<n>}. */
    public static List<Block> chain(String channel, int length) {
        List<Block> chain = new ArrayList<>();
        chain.add(genesis(channel));
        while (chain.size() < length) {
            Block last = chain.get(chain.size() - 1);
            chain.add(next(last, channel, "tx-" + (last.getHeader().getNumber() + 1)));
        }
        return chain;
    }

    public static Envelope envelope(String channel, HeaderType type, String txId) {
        ChannelHeader header = ChannelHeader.newBuilder().setType(type.getNumber()).setChannelId(channel)
                .setTxId(txId).build();
        Payload payload = Payload.newBuilder()
                .setHeader(Header.newBuilder().setChannelHeader(header.toByteString()))
                .setData(ByteString.copyFromUtf8("data of " + txId)).build();
        return Envelope.newBuilder().setPayload(payload.toByteString())
                .setSignature(ByteString.copyFromUtf8("sig")).build();
    }

    public static Block block(long number, ByteString previousHash, List<Envelope> envelopes) {
        BlockData.Builder data = BlockData.newBuilder();
        envelopes.forEach(e -> data.addData(e.toByteString()));
        BlockData built = data.build();
        BlockHeader header = BlockHeader.newBuilder().setNumber(number).setPreviousHash(previousHash)
                .setDataHash(ByteString.copyFrom(BlockHashing.dataHash(built))).build();
        BlockMetadata.Builder metadata = BlockMetadata.newBuilder();
        for (int i = 0; i < 5; i++) {
            metadata.addMetadata(ByteString.EMPTY);
        }
        return Block.newBuilder().setHeader(header).setData(built).setMetadata(metadata).build();
    }

    /** The block with one byte of its first transaction changed (its data hash no longer matches). */
    public static Block tampered(Block block) {
        byte[] tx = block.getData().getData(0).toByteArray();
        tx[tx.length - 1] ^= 1;
        return block.toBuilder().setData(block.getData().toBuilder().setData(0, ByteString.copyFrom(tx))).build();
    }

    /** Checks the data hash, as the real verifier does first. */
    public static final BlockVerifier DATA_HASH_VERIFIER = block -> {
        byte[] expected = BlockHashing.dataHash(block.getData());
        if (!Arrays.equals(expected, block.getHeader().getDataHash().toByteArray())) {
            throw new InvalidBlockException(InvalidBlockException.Reason.DATA_HASH_MISMATCH, "block " + block.getHeader().getNumber() + ": data hash mismatch");
        }
    };
}
