package io.fabsim.benchmarks.ledger;

import com.google.protobuf.ByteString;
import io.fabsim.common.protoutil.BlockHashing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.slf4j.LoggerFactory;

/** Blocks of a given size for the ledger benchmarks: ten transactions of random bytes each. */
final class BenchBlocks {

    static final String CHANNEL = "bench";
    private static final int TX_PER_BLOCK = 10;

    private final BlockData data;
    private final ByteString dataHash;
    private byte[] previousHash = new byte[0];
    private long number;

    BenchBlocks(int blockBytes, long seed) {
        Random random = new Random(seed);
        BlockData.Builder builder = BlockData.newBuilder();
        int txBytes = Math.max(16, blockBytes / TX_PER_BLOCK - 120);
        for (int i = 0; i < TX_PER_BLOCK; i++) {
            byte[] payload = new byte[txBytes];
            random.nextBytes(payload);
            builder.addData(envelope("tx-" + seed + "-" + i, payload).toByteString());
        }
        this.data = builder.build();
        this.dataHash = ByteString.copyFrom(BlockHashing.dataHash(data));
    }

    /** The next block of the chain (same transactions, new header), linked to the one before. */
    Block next() {
        BlockHeader header = BlockHeader.newBuilder().setNumber(number++)
                .setPreviousHash(ByteString.copyFrom(previousHash))
                .setDataHash(dataHash).build();
        previousHash = BlockHashing.headerHash(header);
        return Block.newBuilder().setHeader(header).setData(data).build();
    }

    private static Envelope envelope(String txId, byte[] bytes) {
        ChannelHeader channelHeader = ChannelHeader.newBuilder().setType(HeaderType.ENDORSER_TRANSACTION_VALUE)
                .setChannelId(CHANNEL).setTxId(txId).build();
        Payload payload = Payload.newBuilder()
                .setHeader(Header.newBuilder().setChannelHeader(channelHeader.toByteString()))
                .setData(ByteString.copyFrom(bytes)).build();
        return Envelope.newBuilder().setPayload(payload.toByteString()).build();
    }

    /** Keeps the store's per-block DEBUG lines out of the measurement (logback's default level is DEBUG). */
    static void quietLogging() {
        if (LoggerFactory.getLogger("io.fabsim") instanceof ch.qos.logback.classic.Logger logger) {
            logger.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
