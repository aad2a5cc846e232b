package io.fabsim.gossip;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadata;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/** What the committer reads from a block's transactions: channel headers, tx ids, the filter it writes. */
final class BlockContents {

    private BlockContents() {
    }

    /** The channel header of each transaction, or null where the envelope does not parse. */
    static List<ChannelHeader> channelHeaders(Block block) {
        List<ChannelHeader> headers = new ArrayList<>(block.getData().getDataCount());
        for (ByteString data : block.getData().getDataList()) {
            headers.add(channelHeader(data));
        }
        return headers;
    }

    private static ChannelHeader channelHeader(ByteString envelopeBytes) {
        try {
            Envelope envelope = Envelope.parseFrom(envelopeBytes);
            Payload payload = Payload.parseFrom(envelope.getPayload());
            if (!payload.hasHeader()) {
                return null;
            }
            return ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
        } catch (InvalidProtocolBufferException e) {
            return null;
        }
    }

    /** True when the block's first transaction is a CONFIG transaction (Fabric's {@code IsConfigBlock}). */
    static boolean isConfigBlock(List<ChannelHeader> headers) {
        return !headers.isEmpty() && headers.get(0) != null && headers.get(0).getType() == HeaderType.CONFIG_VALUE;
    }

    /**
     * Fabric's transaction filter for the block, computed afresh: {@code BAD_PAYLOAD} where the
     * envelope does not parse, {@code DUPLICATE_TXID} for a non-empty tx id already committed or seen
     * earlier in the block, {@code VALID} otherwise. fabsim endorses nothing, so no other code occurs.
     */
    static byte[] transactionFilter(List<ChannelHeader> headers, TxIdIndex committed) {
        byte[] filter = new byte[headers.size()];
        Set<String> inBlock = new HashSet<>();
        for (int i = 0; i < headers.size(); i++) {
            ChannelHeader header = headers.get(i);
            if (header == null) {
                filter[i] = (byte) TxValidationCode.BAD_PAYLOAD_VALUE;
                continue;
            }
            String txId = header.getTxId();
            boolean duplicate = !txId.isEmpty() && (committed.contains(txId) || !inBlock.add(txId));
            filter[i] = (byte) (duplicate ? TxValidationCode.DUPLICATE_TXID_VALUE : TxValidationCode.VALID_VALUE);
        }
        return filter;
    }

    /** The non-empty tx ids of the transactions the filter marks valid. */
    static List<String> validTxIds(List<ChannelHeader> headers, byte[] filter) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < headers.size(); i++) {
            ChannelHeader header = headers.get(i);
            if (header != null && filter[i] == TxValidationCode.VALID_VALUE && !header.getTxId().isEmpty()) {
                ids.add(header.getTxId());
            }
        }
        return ids;
    }

    /** The block with {@code metadata[TRANSACTIONS_FILTER]} set to {@code filter} (slots padded to Fabric's 5). */
    static Block withFilter(Block block, byte[] filter) {
        BlockMetadata.Builder metadata = block.getMetadata().toBuilder();
        int slots = BlockMetadataIndex.values().length - 1;
        while (metadata.getMetadataCount() < slots) {
            metadata.addMetadata(ByteString.EMPTY);
        }
        metadata.setMetadata(BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE, ByteString.copyFrom(filter));
        return block.toBuilder().setMetadata(metadata).build();
    }

    /** The tx filter of a committed block (empty when absent). */
    static byte[] filterOf(Block block) {
        int index = BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE;
        if (block.getMetadata().getMetadataCount() <= index) {
            return new byte[0];
        }
        return block.getMetadata().getMetadata(index).toByteArray();
    }
}
