package io.fabsim.common.verify;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.fabsim.common.configtx.ChannelConfig;
import io.fabsim.common.protoutil.BlockHashing;
import io.fabsim.common.protoutil.BlockSignatures;
import io.fabsim.common.protoutil.Blocks;
import io.fabsim.common.protoutil.EnvelopeException;
import io.fabsim.common.protoutil.SignedData;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.Envelope;

/**
 * Verifies blocks of one channel as Fabric's peer {@code MSPMessageCryptoService.VerifyBlock}
 * does, in the same order: header present, claimed number, channel id, metadata present,
 * transactions well-formed, data hash, then the {@code /Channel/Orderer/BlockValidation} policy
 * over the orderer signatures in metadata[SIGNATURES]; then, when the caller knows it, the hash
 * link to the previous block. Thread-safe; validated identities are cached by the validator, so
 * the per-block cost is one data hash and one ECDSA verify per orderer signature.
 */
public final class ChannelBlockVerifier {

    private static final HexFormat HEX = HexFormat.of();

    private final String channelId;
    private final long configSequence;
    private final PolicyEvaluator evaluator;

    public ChannelBlockVerifier(ChannelConfig config, SignerValidator validator) {
        this.channelId = config.channelId();
        this.configSequence = config.sequence();
        this.evaluator = new PolicyEvaluator(config.policies(), validator);
    }

    /** A verifier over the channel's own MSPs ({@link ChannelConfig#mspVerifier()}). */
    public static ChannelBlockVerifier forConfig(ChannelConfig config) {
        return new ChannelBlockVerifier(config, new MspSignerValidator(config.mspVerifier()));
    }

    public String channelId() {
        return channelId;
    }

    /** The sequence of the config this verifier was built from. */
    public long configSequence() {
        return configSequence;
    }

    /**
     * Fabric's {@code VerifyBlock(channel, claimedNumber, block)}.
     *
     * @throws BlockVerificationException with Fabric's message for the first check that fails
     */
    public void verify(long claimedNumber, Block block) throws BlockVerificationException {
        if (!block.hasHeader()) {
            throw new BlockVerificationException(claimedNumber, "Invalid Block on channel [" + channelId
                    + "]. Header must be different from nil.");
        }
        long number = block.getHeader().getNumber();
        if (number != claimedNumber) {
            throw new BlockVerificationException(claimedNumber, "Claimed seqNum is [" + Long.toUnsignedString(claimedNumber)
                    + "] but actual seqNum inside block is [" + Long.toUnsignedString(number) + "]");
        }
        checkChannel(block);
        if (block.getMetadata().getMetadataCount() == 0) {
            throw new BlockVerificationException(number, "Block with id [" + number + "] on channel [" + channelId
                    + "] does not have metadata. Block not valid.");
        }
        checkWellFormed(number, block.getData());
        if (!Arrays.equals(BlockHashing.dataHash(block.getData()), block.getHeader().getDataHash().toByteArray())) {
            throw new BlockVerificationException(number, "Header.DataHash is different from Hash(block.Data) for block with id ["
                    + number + "] on channel [" + channelId + "]");
        }
        checkSignatures(block);
    }

    /**
     * {@link #verify(long, Block)}, then the hash chain: the block's {@code previous_hash} must equal
     * {@code previousHeaderHash}, the header hash of the block before it.
     */
    public void verify(long claimedNumber, Block block, ByteString previousHeaderHash) throws BlockVerificationException {
        verify(claimedNumber, block);
        ByteString actual = block.getHeader().getPreviousHash();
        if (!actual.equals(previousHeaderHash)) {
            throw new BlockVerificationException(claimedNumber, "channel " + channelId + ": block " + claimedNumber
                    + ": previous hash mismatch: expected " + HEX.formatHex(previousHeaderHash.toByteArray())
                    + " got " + HEX.formatHex(actual.toByteArray()));
        }
    }

    private void checkChannel(Block block) throws BlockVerificationException {
        long number = block.getHeader().getNumber();
        String actual;
        try {
            actual = Blocks.channelId(block);
        } catch (EnvelopeException e) {
            throw new BlockVerificationException(number, "Failed getting channel id from block with id [" + number
                    + "] on channel [" + channelId + "]: [" + e.getMessage() + "]", e);
        }
        if (!actual.equals(channelId)) {
            throw new BlockVerificationException(number, "Invalid block's channel id. Expected [" + channelId
                    + "]. Given [" + actual + "]");
        }
    }

    /** Fabric's {@code VerifyTransactionsAreWellFormed}. */
    private static void checkWellFormed(long number, BlockData data) throws BlockVerificationException {
        if (data.getDataCount() == 1 && Blocks.isConfigBlock(Block.newBuilder().setData(data).build())) {
            return;
        }
        for (int i = 0; i < data.getDataCount(); i++) {
            ByteString raw = data.getData(i);
            Envelope envelope;
            try {
                envelope = Envelope.parseFrom(raw);
            } catch (InvalidProtocolBufferException e) {
                throw new BlockVerificationException(number, "transaction " + i + " is invalid: " + e.getMessage(), e);
            }
            if (envelope.getPayload().isEmpty()) {
                throw new BlockVerificationException(number, "transaction " + i + " has no payload");
            }
            if (envelope.getSignature().isEmpty()) {
                throw new BlockVerificationException(number, "transaction " + i + " has no signature");
            }
            int expected = envelope.getSerializedSize();
            if (expected < raw.size()) {
                throw new BlockVerificationException(number, "transaction " + i + " has " + (raw.size() - expected)
                        + " trailing bytes");
            }
        }
    }

    private void checkSignatures(Block block) throws BlockVerificationException {
        long number = block.getHeader().getNumber();
        List<SignedData> signatures;
        try {
            signatures = BlockSignatures.signedData(block);
        } catch (EnvelopeException e) {
            throw new BlockVerificationException(number, "block " + number + " on channel [" + channelId
                    + "]: " + e.getMessage(), e);
        }
        try {
            evaluator.evaluate(ChannelConfig.BLOCK_VALIDATION, signatures);
        } catch (PolicyEvaluationException e) {
            throw new BlockVerificationException(number, e.getMessage(), e);
        }
    }
}
