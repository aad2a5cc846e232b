package io.fabsim.deliver.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.fabsim.common.protoutil.BlockHashing;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.BlockMetadata;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.LastConfig;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.MetadataSignature;
import org.hyperledger.fabric.protos.common.OrdererBlockMetadata;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;

/**
 * Builds Fabric-shaped blocks for tests: correct header hashes and data hashes, and an orderer
 * signature in metadata[0] over {@code value || signature_header || header bytes}, as Fabric signs.
 */
public final class TestBlocks {

    private final String channel;
    private final PrivateKey key;
    private final ByteString creator;

    public TestBlocks(String channel, PrivateKey key, byte[] creator) {
        this.channel = channel;
        this.key = key;
        this.creator = ByteString.copyFrom(creator);
    }

    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String channel() {
        return channel;
    }

    /** Block 0: one CONFIG envelope, unsigned (a genesis block is trusted out of band). */
    public Block genesis() {
        return assemble(0, ByteString.EMPTY, List.of(envelope(HeaderType.CONFIG, "genesis")), 0, false);
    }

    public Block next(Block previous) {
        long n = previous.getHeader().getNumber() + 1;
        return assemble(n, BlockHashing.headerHashBytes(previous.getHeader()),
                List.of(envelope(HeaderType.MESSAGE, "tx-a-" + n), envelope(HeaderType.MESSAGE, "tx-b-" + n)), 0, true);
    }

    public Block nextConfig(Block previous, String marker) {
        long n = previous.getHeader().getNumber() + 1;
        return assemble(n, BlockHashing.headerHashBytes(previous.getHeader()), List.of(envelope(HeaderType.CONFIG, marker)), n, true);
    }

    /** Genesis then {@code count - 1} data blocks. */
    public List<Block> chain(int count) {
        List<Block> blocks = new ArrayList<>();
        blocks.add(genesis());
        while (blocks.size() < count) {
            blocks.add(next(blocks.get(blocks.size() - 1)));
        }
        return blocks;
    }

    /** The marker text a config block made by {@link #nextConfig} carries. */
    public static String configMarker(Block block) {
        try {
            Envelope env = Envelope.parseFrom(block.getData().getData(0));
            return Payload.parseFrom(env.getPayload()).getData().toStringUtf8();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Block withDataByteChanged(Block block) {
        ByteString tx = block.getData().getData(0);
        byte[] bytes = tx.toByteArray();
        bytes[bytes.length - 1] ^= 1;
        return block.toBuilder().setData(block.getData().toBuilder().setData(0, ByteString.copyFrom(bytes))).build();
    }

    public static Block withPreviousHash(Block block, ByteString previousHash) {
        return block.toBuilder().setHeader(block.getHeader().toBuilder().setPreviousHash(previousHash)).build();
    }

    public static Block withNumber(Block block, long number) {
        return block.toBuilder().setHeader(block.getHeader().toBuilder().setNumber(number)).build();
    }

    public static Block withSignatureAltered(Block block) {
        try {
            Metadata md = Metadata.parseFrom(block.getMetadata().getMetadata(0));
            MetadataSignature sig = md.getSignatures(0);
            byte[] bytes = sig.getSignature().toByteArray();
            bytes[bytes.length - 3] ^= 0x10;
            Metadata altered = md.toBuilder().setSignatures(0, sig.toBuilder().setSignature(ByteString.copyFrom(bytes))).build();
            return block.toBuilder().setMetadata(block.getMetadata().toBuilder().setMetadata(0, altered.toByteString())).build();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Block withoutMetadata(Block block) {
        return block.toBuilder().clearMetadata().build();
    }

    private Block assemble(long number, ByteString previousHash, List<Envelope> envelopes, long lastConfig, boolean sign) {
        BlockData.Builder data = BlockData.newBuilder();
        envelopes.forEach(e -> data.addData(e.toByteString()));
        BlockData built = data.build();
        BlockHeader header = BlockHeader.newBuilder()
                .setNumber(number)
                .setPreviousHash(previousHash)
                .setDataHash(ByteString.copyFrom(BlockHashing.dataHash(built)))
                .build();
        ByteString value = OrdererBlockMetadata.newBuilder()
                .setLastConfig(LastConfig.newBuilder().setIndex(lastConfig)).build().toByteString();
        Metadata.Builder signatures = Metadata.newBuilder().setValue(value);
        if (sign) {
            ByteString signatureHeader = SignatureHeader.newBuilder()
                    .setCreator(creator).setNonce(ByteString.copyFromUtf8("nonce-" + number)).build().toByteString();
            byte[] signed = value.concat(signatureHeader).concat(ByteString.copyFrom(BlockHashing.headerBytes(header))).toByteArray();
            signatures.addSignatures(MetadataSignature.newBuilder()
                    .setSignatureHeader(signatureHeader).setSignature(ByteString.copyFrom(sign(signed))));
        }
        BlockMetadata.Builder metadata = BlockMetadata.newBuilder().addMetadata(signatures.build().toByteString());
        for (int i = 1; i < 5; i++) {
            metadata.addMetadata(ByteString.EMPTY);
        }
        return Block.newBuilder().setHeader(header).setData(built).setMetadata(metadata).build();
    }

    private Envelope envelope(HeaderType type, String text) {
        ChannelHeader channelHeader = ChannelHeader.newBuilder().setType(type.getNumber()).setChannelId(channel).build();
        Payload payload = Payload.newBuilder()
                .setHeader(Header.newBuilder().setChannelHeader(channelHeader.toByteString()))
                .setData(ByteString.copyFrom(text, StandardCharsets.UTF_8))
                .build();
        return Envelope.newBuilder().setPayload(payload.toByteString()).setSignature(ByteString.copyFromUtf8("sig")).build();
    }

    private byte[] sign(byte[] message) {
        try {
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(key);
            s.update(message);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
