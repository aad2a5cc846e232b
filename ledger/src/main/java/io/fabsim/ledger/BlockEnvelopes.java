package io.fabsim.ledger;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;

/**
 * Reads the channel headers of a block's envelopes (Envelope -> Payload -> Header -> ChannelHeader),
 * as Fabric's block store does to index transaction ids. Parsing aliases the block's bytes, so large
 * payloads are not copied.
 */
public final class BlockEnvelopes {

    private static final int MAX_CHANNEL_ID_LENGTH = 249;

    private BlockEnvelopes() {
    }

    /** The channel header of one envelope, or empty when the envelope does not parse. */
    public static Optional<ChannelHeader> channelHeader(ByteString envelopeBytes) {
        try {
            Envelope envelope = Envelope.parseFrom(aliasing(envelopeBytes));
            Payload payload = Payload.parseFrom(aliasing(envelope.getPayload()));
            if (!payload.hasHeader()) {
                return Optional.empty();
            }
            return Optional.of(ChannelHeader.parseFrom(payload.getHeader().getChannelHeader()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The non-empty transaction ids of the block's envelopes, in block order (unparsable ones skipped). */
    public static List<String> txIds(Block block) {
        List<String> ids = new ArrayList<>(block.getData().getDataCount());
        for (ByteString entry : block.getData().getDataList()) {
            channelHeader(entry).map(ChannelHeader::getTxId).filter(id -> !id.isEmpty()).ifPresent(ids::add);
        }
        return ids;
    }

    /**
     * The channel id of a genesis (config) block: the channel id of its first envelope's channel
     * header, which must be of type CONFIG.
     *
     * @throws LedgerException naming what is missing or wrong
     */
    public static String genesisChannelId(Block block) throws LedgerException {
        if (block.getHeader().getNumber() != 0) {
            throw new LedgerException("genesis block: expected block number 0, got " + block.getHeader().getNumber());
        }
        if (block.getData().getDataCount() == 0) {
            throw new LedgerException("genesis block: expected one config envelope, got no data");
        }
        ChannelHeader header = channelHeader(block.getData().getData(0)).orElseThrow(() -> new LedgerException(
                "genesis block: the first envelope does not parse as Envelope/Payload/ChannelHeader"));
        if (header.getType() != HeaderType.CONFIG_VALUE) {
            throw new LedgerException("genesis block: expected a config block (channel header type "
                    + HeaderType.CONFIG_VALUE + " CONFIG), got type " + header.getType());
        }
        String channelId = header.getChannelId();
        if (!isValidChannelId(channelId)) {
            throw new LedgerException("genesis block: expected a channel id matching [a-z][a-z0-9.-]* of at most "
                    + MAX_CHANNEL_ID_LENGTH + " characters, got \"" + channelId + "\"");
        }
        return channelId;
    }

    /** Fabric's rule for channel names: {@code [a-z][a-z0-9.-]*}, at most 249 characters. */
    public static boolean isValidChannelId(String channelId) {
        if (channelId == null || channelId.isEmpty() || channelId.length() > MAX_CHANNEL_ID_LENGTH) {
            return false;
        }
        if (channelId.charAt(0) < 'a' || channelId.charAt(0) > 'z') {
            return false;
        }
        for (int i = 1; i < channelId.length(); i++) {
            char c = channelId.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static CodedInputStream aliasing(ByteString bytes) throws InvalidProtocolBufferException {
        CodedInputStream in = bytes.newCodedInput();
        in.enableAliasing(true);
        return in;
    }
}
