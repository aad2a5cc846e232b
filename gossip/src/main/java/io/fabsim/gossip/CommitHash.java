package io.fabsim.gossip;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadata;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.Metadata;

/**
 * The running {@code COMMIT_HASH} of one channel's ledger, as Fabric's kvledger writes it
 * ({@code addBlockCommitHash}): {@code SHA-256(varint(len(filter)) || filter || updateBatch ||
 * previous)}, stored in block metadata slot {@code COMMIT_HASH} as a marshalled
 * {@code common.Metadata{value}}. It starts at block 1 (block 0 has none) and is carried on only
 * while the previous block had one. fabsim runs no chaincode, so the update batch, which in Fabric
 * leaves out the channel config, is always empty. Not thread-safe: the committer's thread owns it.
 */
final class CommitHash {

    private byte[] last = new byte[0];

    /** Starts from the hash in {@code lastCommitted}'s metadata (Fabric's {@code lastPersistedCommitHash}). */
    void resumeFrom(Block lastCommitted) {
        last = of(lastCommitted);
    }

    /** The block with its commit hash added, or the block itself when Fabric adds none; call {@link #committed} after append. */
    Block addTo(Block block) {
        if (block.getHeader().getNumber() != 1 && last.length == 0) {
            return block;
        }
        byte[] hash = next(filter(block), last);
        BlockMetadata.Builder metadata = block.getMetadata().toBuilder();
        int slots = BlockMetadataIndex.values().length - 1;
        while (metadata.getMetadataCount() < slots) {
            metadata.addMetadata(ByteString.EMPTY);
        }
        metadata.setMetadata(BlockMetadataIndex.COMMIT_HASH_VALUE,
                Metadata.newBuilder().setValue(ByteString.copyFrom(hash)).build().toByteString());
        return block.toBuilder().setMetadata(metadata).build();
    }

    /** Records the hash of a block that is now in the ledger. */
    void committed(Block block) {
        last = of(block);
    }

    static byte[] next(byte[] filter, byte[] previous) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] length = new byte[CodedOutputStream.computeUInt64SizeNoTag(filter.length)];
            CodedOutputStream out = CodedOutputStream.newInstance(length);
            out.writeUInt64NoTag(filter.length);
            out.checkNoSpaceLeft();
            sha.update(length);
            sha.update(filter);
            sha.update(previous);
            return sha.digest();
        } catch (NoSuchAlgorithmException | java.io.IOException e) {
            throw new IllegalStateException("SHA-256 unavailable or varint encoding failed", e);
        }
    }

    private static byte[] filter(Block block) {
        int index = BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE;
        return block.getMetadata().getMetadataCount() > index ? block.getMetadata().getMetadata(index).toByteArray()
                : new byte[0];
    }

    private static byte[] of(Block block) {
        int index = BlockMetadataIndex.COMMIT_HASH_VALUE;
        if (block.getMetadata().getMetadataCount() <= index || block.getMetadata().getMetadata(index).isEmpty()) {
            return new byte[0];
        }
        try {
            return Metadata.parseFrom(block.getMetadata().getMetadata(index)).getValue().toByteArray();
        } catch (InvalidProtocolBufferException e) {
            return new byte[0];
        }
    }
}
