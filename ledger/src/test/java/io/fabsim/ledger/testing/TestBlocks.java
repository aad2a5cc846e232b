package io.fabsim.ledger.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.fabsim.common.crypto.Signer;
import io.fabsim.common.protoutil.BlockHashing;
import io.fabsim.common.protoutil.BlockSignatures;
import io.fabsim.common.protoutil.Blocks;
import io.fabsim.ledger.BlockStore;
import io.fabsim.ledger.LedgerException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.MetadataSignature;
import org.hyperledger.fabric.protos.common.Payload;

/**
 * Fabric-shaped test blocks with correct header links and data hashes: a CONFIG block 0, then data
 * blocks. Unsigned by default (deterministic: the same arguments give the same bytes); {@link #signed}
 * signs every block after the genesis block as Fabric's orderer does, in metadata[SIGNATURES] over
 * {@code value || signature_header || header bytes}. Also appends to a {@link BlockStore} and makes
 * the broken blocks verifiers must refuse.
 */
public final class TestBlocks {

    private TestBlocks() {
    }

    /** An envelope with one channel header ({@code type}, {@code channel}, {@code txId}) and {@code data}. */
    public static Envelope envelope(String channel, HeaderType type, String txId, byte[] data) {
        ChannelHeader header = ChannelHeader.newBuilder().setType(type.getNumber()).setChannelId(channel)
                .setTxId(txId).build();
        Payload payload = Payload.newBuilder()
                .setHeader(Header.newBuilder().setChannelHeader(header.toByteString()))
                .setData(ByteString.copyFrom(data)).build();
        return Envelope.newBuilder().setPayload(payload.toByteString())
                .setSignature(ByteString.copyFromUtf8("sig")).build();
    }

    /** An envelope whose data is the text {@code data of <txId>}. */
    public static Envelope envelope(String channel, HeaderType type, String txId) {
        return envelope(channel, type, txId, ("data of " + txId).getBytes(StandardCharsets.UTF_8));
    }

    /** Block {@code number} holding {@code envelopes}, with its data hash and five empty metadata slots. */
    public static Block block(long number, ByteString previousHash, List<Envelope> envelopes) {
        return Blocks.newBlock(number, previousHash, envelopes.stream().map(Envelope::toByteString).toList());
    }

    /** Block 0 of {@code channel}: one CONFIG envelope without a transaction id. */
    public static Block genesis(String channel) {
        return block(0, ByteString.EMPTY,
                List.of(envelope(channel, HeaderType.CONFIG, "", "config-0".getBytes(StandardCharsets.UTF_8))));
    }

    /** The block after {@code previous}, one MESSAGE transaction per tx id; without tx ids one, {@code tx-<n>}. */
    public static Block next(Block previous, String channel, String... txIds) {
        long number = previous.getHeader().getNumber() + 1;
        List<Envelope> envelopes = new ArrayList<>();
        for (String txId : txIds.length == 0 ? new String[] {"tx-" + number} : txIds) {
            envelopes.add(envelope(channel, HeaderType.MESSAGE, txId));
        }
        return block(number, BlockHashing.headerHashBytes(previous.getHeader()), envelopes);
    }

    /** The block after {@code previous}: {@code txCount} transactions {@code tx-<n>-<i>} of random bytes. */
    public static Block next(Block previous, String channel, int txCount, int txBytes, Random random) {
        long number = previous.getHeader().getNumber() + 1;
        List<Envelope> envelopes = new ArrayList<>();
        for (int i = 0; i < txCount; i++) {
            byte[] payload = new byte[txBytes];
            random.nextBytes(payload);
            envelopes.add(envelope(channel, HeaderType.ENDORSER_TRANSACTION, "tx-" + number + "-" + i, payload));
        }
        return block(number, BlockHashing.headerHashBytes(previous.getHeader()), envelopes);
    }

    /** Genesis then {@code length - 1} blocks of one transaction {@code tx-<n>} each. */
    public static List<Block> chain(String channel, int length) {
        List<Block> chain = new ArrayList<>();
        chain.add(genesis(channel));
        while (chain.size() < length) {
            chain.add(next(chain.get(chain.size() - 1), channel));
        }
        return chain;
    }

    /** Genesis then {@code length - 1} blocks of {@code txCount} random transactions (the same for a given seed). */
    public static List<Block> chain(String channel, int length, int txCount, int txBytes, long seed) {
        Random random = new Random(seed);
        List<Block> chain = new ArrayList<>();
        chain.add(genesis(channel));
        while (chain.size() < length) {
            chain.add(next(chain.get(chain.size() - 1), channel, txCount, txBytes, random));
        }
        return chain;
    }

    /** Appends the genesis block to an empty store. */
    public static void genesis(BlockStore store) throws LedgerException {
        store.append(genesis(store.channelId()));
    }

    /** Appends one data block of {@code txs} MESSAGE envelopes of {@code size} zero bytes each. */
    public static Block appendData(BlockStore store, int txs, int size) throws LedgerException {
        List<Envelope> envelopes = new ArrayList<>();
        for (int i = 0; i < txs; i++) {
            envelopes.add(envelope(store.channelId(), HeaderType.MESSAGE, "", new byte[size]));
        }
        return append(store, envelopes);
    }

    /** Appends a config block (one CONFIG envelope). */
    public static Block appendConfig(BlockStore store) throws LedgerException {
        return append(store, List.of(envelope(store.channelId(), HeaderType.CONFIG, "", new byte[50])));
    }

    private static Block append(BlockStore store, List<Envelope> envelopes) throws LedgerException {
        Block previous = store.block(store.height() - 1);
        Block block = block(store.height(), BlockHashing.headerHashBytes(previous.getHeader()), envelopes);
        store.append(block);
        return block;
    }

    /** The data of the first envelope of {@code block} as text (the marker of {@link Signed#nextConfig}). */
    public static String configMarker(Block block) {
        try {
            Envelope envelope = Envelope.parseFrom(block.getData().getData(0));
            return Payload.parseFrom(envelope.getPayload()).getData().toStringUtf8();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The block with one byte of its first transaction changed: its data hash no longer matches. */
    public static Block withDataByteChanged(Block block) {
        byte[] tx = block.getData().getData(0).toByteArray();
        tx[tx.length - 1] ^= 1;
        return block.toBuilder().setData(block.getData().toBuilder().setData(0, ByteString.copyFrom(tx))).build();
    }

    public static Block withPreviousHash(Block block, ByteString previousHash) {
        return block.toBuilder().setHeader(block.getHeader().toBuilder().setPreviousHash(previousHash)).build();
    }

    public static Block withNumber(Block block, long number) {
        return block.toBuilder().setHeader(block.getHeader().toBuilder().setNumber(number)).build();
    }

    /** The block with one bit of its first orderer signature flipped. */
    public static Block withSignatureAltered(Block block) {
        try {
            Metadata metadata = Metadata.parseFrom(Blocks.metadataSlot(block, BlockMetadataIndex.SIGNATURES));
            MetadataSignature signature = metadata.getSignatures(0);
            byte[] bytes = signature.getSignature().toByteArray();
            bytes[bytes.length - 3] ^= 0x10;
            Metadata altered = metadata.toBuilder()
                    .setSignatures(0, signature.toBuilder().setSignature(ByteString.copyFrom(bytes))).build();
            return Blocks.withMetadataSlot(block, BlockMetadataIndex.SIGNATURES, altered.toByteString());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Block withoutMetadata(Block block) {
        return block.toBuilder().clearMetadata().build();
    }

    /** Blocks of {@code channel} signed by {@code orderer}. */
    public static Signed signed(String channel, Signer orderer) {
        return new Signed(channel, orderer);
    }

    /** A chain cut by one orderer: block 0 carries configtxgen's unsigned metadata, later blocks its signature. */
    public static final class Signed {

        private final String channel;
        private final Signer orderer;

        private Signed(String channel, Signer orderer) {
            this.channel = channel;
            this.orderer = orderer;
        }

        public String channel() {
            return channel;
        }

        public Signer orderer() {
            return orderer;
        }

        /** Block 0, unsigned (a genesis block is trusted out of band). */
        public Block genesis() {
            return Blocks.withMetadataSlot(TestBlocks.genesis(channel), BlockMetadataIndex.SIGNATURES,
                    BlockSignatures.genesisMetadata().toByteString());
        }

        /** The signed data block after {@code previous}, last config 0. */
        public Block next(Block previous) {
            return sign(TestBlocks.next(previous, channel), 0);
        }

        /** A signed config block after {@code previous} whose envelope's data is {@code marker}. */
        public Block nextConfig(Block previous, String marker) {
            long number = previous.getHeader().getNumber() + 1;
            Block block = block(number, BlockHashing.headerHashBytes(previous.getHeader()),
                    List.of(envelope(channel, HeaderType.CONFIG, "", marker.getBytes(StandardCharsets.UTF_8))));
            return sign(block, number);
        }

        /** Genesis then {@code length - 1} signed data blocks. */
        public List<Block> chain(int length) {
            List<Block> chain = new ArrayList<>();
            chain.add(genesis());
            while (chain.size() < length) {
                chain.add(next(chain.get(chain.size() - 1)));
            }
            return chain;
        }

        /** {@code block} with this orderer's signature in metadata[SIGNATURES]. */
        public Block sign(Block block, long lastConfig) {
            return BlockSignatures.sign(block, lastConfig, ByteString.EMPTY, orderer);
        }
    }
}
