package io.fabsim.common.protoutil;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import io.fabsim.common.crypto.Signer;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.LastConfig;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.MetadataSignature;
import org.hyperledger.fabric.protos.common.OrdererBlockMetadata;
import org.hyperledger.fabric.protos.common.SignatureHeader;

/**
 * The orderer's block signature, as Fabric's orderer {@code BlockWriter} writes it and the peer's
 * {@code BlockSignatureVerifier} reads it.
 *
 * <p>metadata[SIGNATURES] = {@code Metadata{value, signatures[1]}} where {@code value} is the
 * marshaled {@code OrdererBlockMetadata{last_config{index}, consenter_metadata =
 * Metadata{value = consenter bytes}}} and the one {@code MetadataSignature} holds a marshaled
 * {@code SignatureHeader{creator, nonce}} and a signature over
 * {@code value || signature_header || BlockHashing.headerBytes(header)}. A config block also gets
 * metadata[LAST_CONFIG] = {@code Metadata{value = LastConfig{index}}}; data blocks leave it empty.
 */
public final class BlockSignatures {

    private BlockSignatures() {
    }

    /**
     * Returns a copy of {@code block} (header and data final) signed by the orderer: metadata
     * SIGNATURES filled, LAST_CONFIG filled if the block is a config block, 5 slots.
     *
     * @param consenterMetadata the consenter's own metadata (e.g. marshaled etcdraft
     *        {@code BlockMetadata}); empty for none
     */
    public static Block sign(Block block, long lastConfigIndex, ByteString consenterMetadata, Signer signer) {
        Metadata signatures = signatureMetadata(block.getHeader(), lastConfigIndex, consenterMetadata, signer);
        Block signed = Blocks.withMetadataSlot(block, BlockMetadataIndex.SIGNATURES, signatures.toByteString());
        if (Blocks.isConfigBlock(block)) {
            Metadata lastConfig = Metadata.newBuilder()
                    .setValue(LastConfig.newBuilder().setIndex(lastConfigIndex).build().toByteString())
                    .build();
            signed = Blocks.withMetadataSlot(signed, BlockMetadataIndex.LAST_CONFIG, lastConfig.toByteString());
        }
        return signed;
    }

    /** The metadata[SIGNATURES] value for a block with this header, signed by {@code signer}. */
    public static Metadata signatureMetadata(BlockHeader header, long lastConfigIndex, ByteString consenterMetadata,
                                             Signer signer) {
        ByteString value = ordererBlockMetadata(lastConfigIndex, consenterMetadata).toByteString();
        ByteString signatureHeader = Envelopes.signatureHeader(signer.serializedIdentity(), Envelopes.nonce())
                .toByteString();
        byte[] signature = signer.sign(signedBytes(value, signatureHeader, header));
        return Metadata.newBuilder()
                .setValue(value)
                .addSignatures(MetadataSignature.newBuilder()
                        .setSignatureHeader(signatureHeader)
                        .setSignature(ByteString.copyFrom(signature)))
                .build();
    }

    /**
     * The metadata[SIGNATURES] of an unsigned genesis block, as configtxgen writes it:
     * {@code Metadata{value = OrdererBlockMetadata{last_config{index 0}}}}, no signatures.
     */
    public static Metadata genesisMetadata() {
        return Metadata.newBuilder()
                .setValue(OrdererBlockMetadata.newBuilder().setLastConfig(LastConfig.getDefaultInstance())
                        .build().toByteString())
                .build();
    }

    static OrdererBlockMetadata ordererBlockMetadata(long lastConfigIndex, ByteString consenterMetadata) {
        return OrdererBlockMetadata.newBuilder()
                .setLastConfig(LastConfig.newBuilder().setIndex(lastConfigIndex))
                .setConsenterMetadata(Metadata.newBuilder().setValue(consenterMetadata).build().toByteString())
                .build();
    }

    /** {@code value || signatureHeader || headerBytes(header)}: the bytes an orderer signs. */
    public static byte[] signedBytes(ByteString value, ByteString signatureHeader, BlockHeader header) {
        byte[] headerBytes = BlockHashing.headerBytes(header);
        byte[] out = new byte[value.size() + signatureHeader.size() + headerBytes.length];
        value.copyTo(out, 0);
        signatureHeader.copyTo(out, value.size());
        System.arraycopy(headerBytes, 0, out, value.size() + signatureHeader.size(), headerBytes.length);
        return out;
    }

    /** metadata[SIGNATURES] unmarshaled; fails when the slot is missing or not a {@code common.Metadata}. */
    public static Metadata signaturesMetadata(Block block) throws EnvelopeException {
        String layer = "block " + block.getHeader().getNumber() + " metadata[SIGNATURES]";
        if (block.getMetadata().getMetadataCount() <= BlockMetadataIndex.SIGNATURES_VALUE) {
            throw new EnvelopeException(layer, "missing (block has no metadata slots)");
        }
        try {
            return Metadata.parseFrom(block.getMetadata().getMetadata(BlockMetadataIndex.SIGNATURES_VALUE));
        } catch (InvalidProtocolBufferException e) {
            throw new EnvelopeException(layer, "not a common.Metadata: " + e.getMessage(), e);
        }
    }

    /** The {@code OrdererBlockMetadata} in metadata[SIGNATURES].value. */
    public static OrdererBlockMetadata ordererBlockMetadata(Block block) throws EnvelopeException {
        try {
            return OrdererBlockMetadata.parseFrom(signaturesMetadata(block).getValue());
        } catch (InvalidProtocolBufferException e) {
            throw new EnvelopeException("block " + block.getHeader().getNumber() + " metadata[SIGNATURES].value",
                    "not a common.OrdererBlockMetadata: " + e.getMessage(), e);
        }
    }

    /**
     * The signature set a peer checks against {@code /Channel/Orderer/BlockValidation}: one
     * {@link SignedData} per {@code MetadataSignature}, identity = the signature header's creator,
     * data = {@code value || signature_header || headerBytes(header)} with the bytes as received.
     * An unsigned block (the genesis block) gives an empty list.
     */
    public static List<SignedData> signedData(Block block) throws EnvelopeException {
        Metadata metadata = signaturesMetadata(block);
        List<SignedData> set = new ArrayList<>(metadata.getSignaturesCount());
        for (int i = 0; i < metadata.getSignaturesCount(); i++) {
            MetadataSignature signature = metadata.getSignatures(i);
            SignatureHeader header;
            try {
                header = SignatureHeader.parseFrom(signature.getSignatureHeader());
            } catch (InvalidProtocolBufferException e) {
                throw new EnvelopeException("block " + block.getHeader().getNumber() + " signature " + i
                        + " header", "not a common.SignatureHeader: " + e.getMessage(), e);
            }
            byte[] data = signedBytes(metadata.getValue(), signature.getSignatureHeader(), block.getHeader());
            set.add(new SignedData(header.getCreator(), UnsafeByteOperations.unsafeWrap(data), signature.getSignature()));
        }
        return set;
    }
}
