package io.fabsim.gossip;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.fabsim.common.protoutil.BlockHashing;
import io.fabsim.common.verify.InvalidBlockException;
import java.io.ByteArrayOutputStream;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.LastConfig;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.MetadataSignature;
import org.hyperledger.fabric.protos.common.OrdererBlockMetadata;
import org.hyperledger.fabric.protos.common.SignatureHeader;

/**
 * Cuts signed test chains as Fabric's orderer signs blocks: metadata[SIGNATURES] holds
 * {@code Metadata{value = OrdererBlockMetadata, signatures[{signature_header, signature}]}}, the
 * signature covering {@code value || signature_header || ASN.1(header)}; and verifies them the same way.
 */
public final class TestOrderer {

    private final TestPki.Node node;

    public TestOrderer() {
        this.node = TestPki.org("OrdererMSP").node("orderer.example.com");
    }

    public List<Block> chain(String channel, int length) {
        List<Block> unsigned = TestBlocks.chain(channel, length);
        List<Block> signed = new ArrayList<>();
        signed.add(unsigned.get(0));
        for (int i = 1; i < length; i++) {
            signed.add(sign(unsigned.get(i)));
        }
        return signed;
    }

    public Block sign(Block block) {
        byte[] value = OrdererBlockMetadata.newBuilder().setLastConfig(LastConfig.newBuilder().setIndex(0)).build()
                .toByteArray();
        byte[] header = SignatureHeader.newBuilder().setCreator(ByteString.copyFrom(node.signer().serializedIdentity()))
                .setNonce(ByteString.copyFromUtf8("nonce-" + block.getHeader().getNumber())).build().toByteArray();
        byte[] signature = node.signer().sign(signedBytes(value, header, block));
        Metadata metadata = Metadata.newBuilder().setValue(ByteString.copyFrom(value))
                .addSignatures(MetadataSignature.newBuilder().setSignatureHeader(ByteString.copyFrom(header))
                        .setSignature(ByteString.copyFrom(signature)))
                .build();
        return block.toBuilder().setMetadata(block.getMetadata().toBuilder()
                .setMetadata(BlockMetadataIndex.SIGNATURES_VALUE, metadata.toByteString())).build();
    }

    /** Data hash, then the orderer's signature; block 0 (the genesis block) is trusted as is. */
    public BlockVerifier verifier(String channel) {
        X509Certificate cert = node.signer().certificate();
        return block -> {
            long number = block.getHeader().getNumber();
            if (!Arrays.equals(BlockHashing.dataHash(block.getData()), block.getHeader().getDataHash().toByteArray())) {
                throw new InvalidBlockException(InvalidBlockException.Reason.DATA_HASH_MISMATCH,
                        "channel " + channel + ": block " + number + ": data hash mismatch");
            }
            try {
                Metadata metadata = Metadata.parseFrom(block.getMetadata().getMetadata(BlockMetadataIndex.SIGNATURES_VALUE));
                for (MetadataSignature s : metadata.getSignaturesList()) {
                    byte[] signed = signedBytes(metadata.getValue().toByteArray(), s.getSignatureHeader().toByteArray(), block);
                    if (TestPki.verify(cert.getPublicKey(), signed, s.getSignature().toByteArray())) {
                        return;
                    }
                }
            } catch (InvalidProtocolBufferException | IndexOutOfBoundsException e) {
                throw new InvalidBlockException(InvalidBlockException.Reason.MALFORMED,
                        "channel " + channel + ": block " + number + ": bad signature metadata");
            }
            throw new InvalidBlockException(InvalidBlockException.Reason.BAD_SIGNATURE,
                    "channel " + channel + ": block " + number + ": no valid orderer signature");
        };
    }

    private static byte[] signedBytes(byte[] value, byte[] signatureHeader, Block block) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(value);
        out.writeBytes(signatureHeader);
        out.writeBytes(BlockHashing.headerBytes(block.getHeader()));
        return out.toByteArray();
    }
}
