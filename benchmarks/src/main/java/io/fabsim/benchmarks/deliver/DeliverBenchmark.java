package io.fabsim.benchmarks.deliver;

import com.google.protobuf.ByteString;
import io.fabsim.common.crypto.Signer;
import io.fabsim.common.protoutil.BlockHashing;
import io.fabsim.common.protoutil.Blocks;
import io.fabsim.common.protoutil.SeekInfos;
import io.fabsim.common.protoutil.SignedData;
import io.fabsim.common.time.Clock;
import io.fabsim.deliverserver.DeliverChain;
import io.fabsim.deliverserver.DeliverHandler;
import io.fabsim.deliverserver.DeliverMetrics;
import io.fabsim.deliverserver.ErrorSignal;
import io.fabsim.deliverserver.grpc.DeliverService;
import io.fabsim.ledger.BlockStore;
import io.fabsim.ledger.LedgerConfig;
import io.fabsim.ledger.file.FileLedgerManager;
import io.fabsim.orderer.grpc.AtomicBroadcastService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;
import org.hyperledger.fabric.protos.orderer.SeekInfo;

/**
 * Deliver throughput of the orderer's Deliver service (handler + gRPC glue + file ledger reads) to 1
 * and 8 concurrent readers, for 1 KB and 100 KB blocks, next to a plain gRPC server-streaming
 * service sending the same bytes (the DeliverResponse messages, pre-serialized in memory), in one
 * run on loopback without TLS. Each reader asks for the whole chain (oldest..newest). The reader
 * policy allows everyone, so request signature checks are not part of the figure (one per request).
 * After one warm-up pass each, Deliver and raw passes alternate {@link #ROUNDS} times and the best
 * of each is reported, which damps the noise of a shared machine.
 *
 * <p>Run: {@code mvn -B -q -pl benchmarks -am package -DskipTests && java -cp
 * benchmarks/target/benchmarks.jar io.fabsim.benchmarks.deliver.DeliverBenchmark}
 */
public final class DeliverBenchmark {

    private static final String CHANNEL = "bench";
    /** Measured rounds per configuration, Deliver and raw alternating; the best of each is reported (the machine is shared). */
    private static final int ROUNDS = 3;

    private DeliverBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        System.out.println("| block size | readers | path | blocks/s | MB/s | Deliver / raw |");
        System.out.println("|---|---|---|---|---|---|");
        run(1024, 20_000);
        run(100 * 1024, 1_000);
    }

    private static void run(int blockBytes, int blocks) throws Exception {
        Path dir = Files.createTempDirectory("fabsim-deliver-bench");
        ExecutorService workers = Executors.newCachedThreadPool();
        try (FileLedgerManager ledgers = new FileLedgerManager(dir, LedgerConfig.defaults().withFsync(false))) {
            BlockStore store = ledgers.create(block(0, ByteString.EMPTY, blockBytes));
            List<byte[]> responses = new ArrayList<>();
            responses.add(DeliverResponse.newBuilder().setBlock(store.block(0)).build().toByteArray());
            for (int n = 1; n < blocks; n++) {
                Block block = block(n, BlockHashing.headerHashBytes(store.block(n - 1).getHeader()), blockBytes);
                store.append(block);
                responses.add(DeliverResponse.newBuilder().setBlock(block).build().toByteArray());
            }
            DeliverHandler handler = new DeliverHandler(id -> id.equals(CHANNEL) ? Optional.of(chain(store)) : Optional.empty(),
                    new DeliverHandler.Settings(DeliverHandler.Settings.DEFAULT_TIME_WINDOW, false), Clock.system(),
                    DeliverMetrics.unregistered());
            Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).directExecutor()
                    .addService(new AtomicBroadcastService(new DeliverService(handler, workers), null))
                    .addService(RawStreams.rawService(responses)).build().start();
            try {
                byte[] request = SeekInfos.seekEnvelope(CHANNEL, SeekInfos.seekInfo(SeekInfos.oldest(), SeekInfos.newest(),
                        SeekInfo.SeekBehavior.BLOCK_UNTIL_READY), new BenchSigner(), Clock.system()).toByteArray();
                for (int readers : new int[] {1, 8}) {
                    measure(server.getPort(), blockBytes, readers, request);
                }
            } finally {
                server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            }
        } finally {
            workers.shutdownNow();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void measure(int port, int blockBytes, int readers, byte[] request) throws Exception {
        List<ManagedChannel> channels = new ArrayList<>();
        for (int i = 0; i < readers; i++) {
            channels.add(NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
                    .maxInboundMessageSize(200 << 20).build());
        }
        try {
            pass(channels, RawStreams.DELIVER, request);
            pass(channels, RawStreams.RAW, new byte[0]);
            double[] deliver = {0, 0};
            double[] raw = {0, 0};
            for (int round = 0; round < ROUNDS; round++) {
                deliver = best(deliver, pass(channels, RawStreams.DELIVER, request));
                raw = best(raw, pass(channels, RawStreams.RAW, new byte[0]));
            }
            String size = blockBytes >= 1024 * 100 ? "100 KB" : "1 KB";
            System.out.printf("| %s | %d | Deliver | %.0f | %.1f | %.0f%% |%n", size, readers, deliver[0], deliver[1],
                    100 * deliver[1] / raw[1]);
            System.out.printf("| %s | %d | raw gRPC stream | %.0f | %.1f | |%n", size, readers, raw[0], raw[1]);
        } finally {
            for (ManagedChannel channel : channels) {
                channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            }
        }
    }

    private static double[] best(double[] a, double[] b) {
        return a[1] >= b[1] ? a : b;
    }

    /** One pass of every reader in parallel: {blocks/s, MB/s} summed over readers. */
    private static double[] pass(List<ManagedChannel> channels, io.grpc.MethodDescriptor<byte[], byte[]> method, byte[] request)
            throws Exception {
        long start = System.nanoTime();
        List<CompletableFuture<RawStreams.Count>> reads = new ArrayList<>();
        for (ManagedChannel channel : channels) {
            reads.add(RawStreams.read(channel, method, request));
        }
        long messages = 0;
        long bytes = 0;
        for (CompletableFuture<RawStreams.Count> read : reads) {
            RawStreams.Count count = read.get(10, TimeUnit.MINUTES);
            messages += count.messages();
            bytes += count.bytes();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new double[] {messages / seconds, bytes / seconds / 1e6};
    }

    /** A block of one envelope (CONFIG in block 0, MESSAGE after) padded so the block is about {@code bytes}. */
    private static Block block(long number, ByteString previousHash, int bytes) {
        ChannelHeader header = ChannelHeader.newBuilder().setChannelId(CHANNEL)
                .setType((number == 0 ? HeaderType.CONFIG : HeaderType.MESSAGE).getNumber()).build();
        Payload payload = Payload.newBuilder().setHeader(Header.newBuilder().setChannelHeader(header.toByteString()))
                .setData(ByteString.copyFrom(new byte[Math.max(1, bytes - 200)])).build();
        Envelope entry = Envelope.newBuilder().setPayload(payload.toByteString()).build();
        return Blocks.newBlock(number, previousHash, List.of(entry.toByteString()));
    }

    private static DeliverChain chain(BlockStore store) {
        ErrorSignal healthy = new ErrorSignal();
        return new DeliverChain() {
            @Override
            public BlockStore blocks() {
                return store;
            }

            @Override
            public ErrorSignal errorSignal() {
                return healthy;
            }

            @Override
            public long configSequence() {
                return 0;
            }

            @Override
            public void checkReaders(SignedData request) {
                // The benchmark measures block streaming; every reader is allowed.
            }
        };
    }

    /** A fixed identity: the benchmark's reader policy does not look at signatures. */
    private static final class BenchSigner implements Signer {
        @Override
        public String mspId() {
            return "BenchMSP";
        }

        @Override
        public byte[] serializedIdentity() {
            return new byte[] {10, 8, 'B', 'e', 'n', 'c', 'h', 'M', 'S', 'P'};
        }

        @Override
        public byte[] sign(byte[] message) {
            return new byte[0];
        }
    }

}
