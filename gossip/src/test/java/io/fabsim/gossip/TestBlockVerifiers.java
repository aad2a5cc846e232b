package io.fabsim.gossip;

import com.google.protobuf.InvalidProtocolBufferException;
import io.fabsim.common.protoutil.BlockHashing;
import io.fabsim.common.protoutil.BlockSignatures;
import io.fabsim.common.protoutil.Blocks;
import io.fabsim.common.testing.TestPki;
import io.fabsim.common.verify.InvalidBlockException;
import java.security.PublicKey;
import java.util.Arrays;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.MetadataSignature;

/** Test {@link BlockVerifier}s that check what Fabric checks, without a channel config. */
public final class TestBlockVerifiers {

    /** Checks the data hash, as the real verifier does first. */
    public static final BlockVerifier DATA_HASH = block -> checkDataHash("", block);

    private TestBlockVerifiers() {
    }

    /**
     * Data hash, then one signature in metadata[SIGNATURES] that verifies with {@code orderer}'s key
     * over {@code value || signature_header || header bytes}, as Fabric's orderer signs blocks.
     */
    public static BlockVerifier signedBy(String channel, PublicKey orderer) {
        return block -> {
            checkDataHash("channel " + channel + ": ", block);
            long number = block.getHeader().getNumber();
            try {
                Metadata metadata = Metadata.parseFrom(Blocks.metadataSlot(block, BlockMetadataIndex.SIGNATURES));
                for (MetadataSignature s : metadata.getSignaturesList()) {
                    byte[] signed = BlockSignatures.signedBytes(metadata.getValue(), s.getSignatureHeader(), block.getHeader());
                    if (TestPki.verify(orderer, signed, s.getSignature().toByteArray())) {
                        return;
                    }
                }
            } catch (InvalidProtocolBufferException e) {
                throw new InvalidBlockException(InvalidBlockException.Reason.MALFORMED,
                        "channel " + channel + ": block " + number + ": bad signature metadata");
            }
            throw new InvalidBlockException(InvalidBlockException.Reason.BAD_SIGNATURE,
                    "channel " + channel + ": block " + number + ": no valid orderer signature");
        };
    }

    private static void checkDataHash(String context, Block block) throws InvalidBlockException {
        if (!Arrays.equals(BlockHashing.dataHash(block.getData()), block.getHeader().getDataHash().toByteArray())) {
            throw new InvalidBlockException(InvalidBlockException.Reason.DATA_HASH_MISMATCH,
                    context + "block " + block.getHeader().getNumber() + ": data hash mismatch");
        }
    }
}
