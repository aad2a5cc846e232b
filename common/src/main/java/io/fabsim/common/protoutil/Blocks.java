package io.fabsim.common.protoutil;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.BlockMetadata;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.LastConfig;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.OrdererBlockMetadata;

/**
 * Blocks as Fabric's {@code protoutil} builds and reads them: a new block carries its data hash
 * and five empty metadata slots (SIGNATURES, LAST_CONFIG, TRANSACTIONS_FILTER, ORDERER,
 * COMMIT_HASH), which the orderer's signer ({@link BlockSignatures}) and the committer fill.
 */
public final class Blocks {

    /** Number of metadata slots in every block ({@code len(cb.BlockMetadataIndex_name)}). */
    public static final int METADATA_SLOTS = 5;

    private Blocks() {
    }

    /** Fabric's {@code NewBlock} + data hash: header (number, previous hash, data hash), 5 empty metadata slots. */
    public static Block newBlock(long number, ByteString previousHash, List<ByteString> data) {
        BlockData blockData = BlockData.newBuilder().addAllData(data).build();
        BlockMetadata.Builder metadata = BlockMetadata.newBuilder();
        for (int i = 0; i < METADATA_SLOTS; i++) {
            metadata.addMetadata(ByteString.EMPTY);
        }
        return Block.newBuilder()
                .setHeader(BlockHeader.newBuilder()
                        .setNumber(number)
                        .setPreviousHash(previousHash)
                        .setDataHash(ByteString.copyFrom(BlockHashing.dataHash(blockData))))
                .setData(blockData)
                .setMetadata(metadata)
                .build();
    }

    /** The raw bytes in metadata slot {@code index}, empty when the block has fewer slots. */
    public static ByteString metadataSlot(Block block, BlockMetadataIndex index) {
        List<ByteString> slots = block.getMetadata().getMetadataList();
        return index.getNumber() < slots.size() ? slots.get(index.getNumber()) : ByteString.EMPTY;
    }

    /**
     * The last-config index, as Fabric's {@code GetLastConfigIndexFromBlock}: from
     * {@code OrdererBlockMetadata.last_config} in metadata[SIGNATURES], else (blocks of old
     * orderers) from the {@code LastConfig} in metadata[LAST_CONFIG].
     */
    public static long lastConfigIndex(Block block) throws EnvelopeException {
        try {
            Metadata metadata = Metadata.parseFrom(metadataSlot(block, BlockMetadataIndex.SIGNATURES));
            if (!metadata.getValue().isEmpty()) {
                return OrdererBlockMetadata.parseFrom(metadata.getValue()).getLastConfig().getIndex();
            }
            Metadata legacy = Metadata.parseFrom(metadataSlot(block, BlockMetadataIndex.LAST_CONFIG));
            return LastConfig.parseFrom(legacy.getValue()).getIndex();
        } catch (InvalidProtocolBufferException e) {
            throw new EnvelopeException("block " + block.getHeader().getNumber() + " metadata",
                    "last-config index unreadable: " + e.getMessage(), e);
        }
    }

    /** The channel header of the block's first envelope (Fabric's {@code ChannelHeader(env)} of data[0]). */
    public static ChannelHeader firstChannelHeader(Block block) throws EnvelopeException {
        if (block.getData().getDataCount() == 0) {
            throw new EnvelopeException("block " + block.getHeader().getNumber() + " data",
                    "expected at least one envelope, got none");
        }
        try {
            Envelope envelope = Envelope.parseFrom(block.getData().getData(0));
            return Envelopes.channelHeader(Envelopes.payload(envelope));
        } catch (InvalidProtocolBufferException e) {
            throw new EnvelopeException("block " + block.getHeader().getNumber() + " data[0]",
                    "not a common.Envelope: " + e.getMessage(), e);
        }
    }

    /** The channel id of a block: that of its first envelope's channel header. */
    public static String channelId(Block block) throws EnvelopeException {
        return firstChannelHeader(block).getChannelId();
    }

    /**
     * Fabric's {@code IsConfigBlock}: the block holds exactly one envelope whose channel header type
     * is {@code CONFIG} (or the legacy {@code ORDERER_TRANSACTION}). Unparseable blocks are not config blocks.
     */
    public static boolean isConfigBlock(Block block) {
        if (block.getData().getDataCount() != 1) {
            return false;
        }
        try {
            int type = firstChannelHeader(block).getType();
            return type == HeaderType.CONFIG_VALUE || type == HeaderType.ORDERER_TRANSACTION_VALUE;
        } catch (EnvelopeException e) {
            return false;
        }
    }

    /** The envelope at {@code index} of the block's data. */
    public static Envelope envelopeAt(Block block, int index) throws EnvelopeException {
        try {
            return Envelope.parseFrom(block.getData().getData(index));
        } catch (InvalidProtocolBufferException e) {
            throw new EnvelopeException("block " + block.getHeader().getNumber() + " data[" + index + "]",
                    "not a common.Envelope: " + e.getMessage(), e);
        }
    }

    /**
     * The TRANSACTIONS_FILTER, one validation code per transaction (0 = VALID). An orderer leaves
     * the slot empty; then, as Fabric's committer does, every transaction counts as not yet
     * validated and the result is all zeros of the block's transaction count.
     */
    public static byte[] transactionsFilter(Block block) {
        ByteString filter = metadataSlot(block, BlockMetadataIndex.TRANSACTIONS_FILTER);
        int count = block.getData().getDataCount();
        return filter.size() == count ? filter.toByteArray() : new byte[count];
    }

    /** A copy of the block with metadata[TRANSACTIONS_FILTER] set to {@code filter} (one byte per transaction). */
    public static Block withTransactionsFilter(Block block, byte[] filter) {
        if (filter.length != block.getData().getDataCount()) {
            throw new IllegalArgumentException("transactions filter of block " + block.getHeader().getNumber()
                    + ": expected " + block.getData().getDataCount() + " codes, got " + filter.length);
        }
        return withMetadataSlot(block, BlockMetadataIndex.TRANSACTIONS_FILTER, ByteString.copyFrom(filter));
    }

    /** A copy of the block with slot {@code index} set, padding the metadata to 5 slots first. */
    public static Block withMetadataSlot(Block block, BlockMetadataIndex index, ByteString value) {
        BlockMetadata.Builder metadata = block.getMetadata().toBuilder();
        while (metadata.getMetadataCount() < METADATA_SLOTS) {
            metadata.addMetadata(ByteString.EMPTY);
        }
        metadata.setMetadata(index.getNumber(), value);
        return block.toBuilder().setMetadata(metadata).build();
    }
}
