package io.fabsim.peer.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import io.fabsim.common.protoutil.Blocks;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.peer.FilteredBlock;
import org.hyperledger.fabric.protos.peer.FilteredTransaction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * Fabric's {@code DeliverFiltered} view of a committed block: channel id, number, and per
 * transaction its id, header type and validation code (from the committer's transactions filter).
 * Endorser transactions' chaincode events are not included (fabsim runs no chaincode).
 */
final class FilteredBlocks {

    private FilteredBlocks() {
    }

    static FilteredBlock of(Block block) {
        byte[] filter = Blocks.transactionsFilter(block);
        FilteredBlock.Builder filtered = FilteredBlock.newBuilder().setNumber(block.getHeader().getNumber());
        for (int i = 0; i < block.getData().getDataCount(); i++) {
            ChannelHeader header;
            try {
                Envelope envelope = Envelope.parseFrom(block.getData().getData(i));
                Payload payload = Payload.parseFrom(envelope.getPayload());
                header = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
            } catch (InvalidProtocolBufferException e) {
                // Fabric skips what it cannot parse here; the committer marked it invalid already.
                continue;
            }
            if (filtered.getChannelId().isEmpty()) {
                filtered.setChannelId(header.getChannelId());
            }
            int code = i < filter.length ? Byte.toUnsignedInt(filter[i]) : TxValidationCode.VALID_VALUE;
            TxValidationCode validation = TxValidationCode.forNumber(code);
            HeaderType type = HeaderType.forNumber(header.getType());
            filtered.addFilteredTransactions(FilteredTransaction.newBuilder()
                    .setTxid(header.getTxId())
                    .setType(type == null ? HeaderType.MESSAGE : type)
                    .setTxValidationCode(validation == null ? TxValidationCode.INVALID_OTHER_REASON : validation));
        }
        return filtered.build();
    }
}
