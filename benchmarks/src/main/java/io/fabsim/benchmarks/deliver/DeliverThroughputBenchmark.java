package io.fabsim.benchmarks.deliver;

import com.google.protobuf.ByteString;
import io.fabsim.common.config.ConfigLoader;
import io.fabsim.common.msp.LocalMsp;
import io.fabsim.common.msp.SigningIdentity;
import io.fabsim.common.protoutil.BlockHashing;
import io.fabsim.common.protoutil.BlockSignatures;
import io.fabsim.common.protoutil.Blocks;
import io.fabsim.common.time.Clock;
import io.fabsim.deliver.AddressOverride;
import io.fabsim.deliver.BlockVerifier;
import io.fabsim.deliver.ConfigBlockVerifier;
import io.fabsim.deliver.DeliverClientConfig;
import io.fabsim.deliver.DeliveryService;
import io.fabsim.deliver.LedgerInfo;
import io.fabsim.deliver.OrdererAddresses;
import io.fabsim.deliver.BlockSink;
import io.fabsim.deliver.grpc.ClientTls;
import io.fabsim.deliver.grpc.GrpcDialer;
import io.fabsim.common.crypto.Pem;
import io.fabsim.ledger.BlockStore;
import io.fabsim.ledger.LedgerConfig;
import io.fabsim.ledger.file.FileLedgerManager;
import io.fabsim.orderer.Orderer;
import io.fabsim.orderer.OrdererConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * End-to-end pull rate of the deliver client: a real orderer (this JVM, mutual TLS, Fabric vectors
 * identity and channel) serves {@code blocks} signed blocks of 10 × 1 KiB transactions from its file
 * ledger; one operation is a peer's deliver client fetching all of them over gRPC loopback from
 * height 1 (signed SeekInfo, TLS binding), checking number, previous hash and data hash, and, with
 * {@code verify=true}, Fabric's peer block verification (BlockValidation policy over the orderer
 * signature), then handing each block to a counting block sink. blocks/s = blocks / (s/op).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DeliverThroughputBenchmark {

    @Param({"1000"})
    public int blocks;

    @Param({"true", "false"})
    public boolean verify;

    private Path dir;
    private Orderer orderer;
    private Block genesis;
    private GrpcDialer dialer;
    private DeliverClientConfig config;
    private SigningIdentity peer;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Path vectors = Path.of(System.getProperty("fabric.vectors.dir", "../shared/fabric-vectors")).toAbsolutePath();
        Path crypto = vectors.resolve("crypto-config");
        Path node = crypto.resolve("ordererOrganizations/example.com/orderers/orderer.example.com");
        Path peerDir = crypto.resolve("peerOrganizations/org1.example.com/peers/peer0.org1.example.com");
        dir = Files.createTempDirectory("deliver-bench");
        genesis = Block.parseFrom(Files.readAllBytes(vectors.resolve("chain/block_0.block")));
        writeLedger(LocalMsp.loadSigningIdentity("OrdererMSP", node.resolve("msp")));
        orderer = Orderer.start(OrdererConfig.from(ConfigLoader.fromString("""
                General {
                  ListenAddress = "127.0.0.1"
                  ListenPort = 0
                  TLS { Enabled = true, ClientAuthRequired = true, PrivateKey = "%s", Certificate = "%s",
                        RootCAs = ["%s"], ClientRootCAs = ["%s"] }
                  LocalMSPDir = "%s"
                  LocalMSPID = "OrdererMSP"
                }
                FileLedger.Location = "%s"
                Operations.ListenAddress = "127.0.0.1:0"
                """.formatted(node.resolve("tls/server.key"), node.resolve("tls/server.crt"), node.resolve("tls/ca.crt"),
                crypto.resolve("peerOrganizations/org1.example.com/tlsca/tlsca.org1.example.com-cert.pem"),
                node.resolve("msp"), dir.resolve("orderer")))));
        config = DeliverClientConfig.defaults().withAddressOverrides(
                List.of(new AddressOverride("127.0.0.1:17050", orderer.address().toString(), List.of())));
        dialer = GrpcDialer.tls(Optional.of(new ClientTls(Pem.readPrivateKey(peerDir.resolve("tls/server.key")),
                List.of(Pem.readCertificate(peerDir.resolve("tls/server.crt"))))), config);
        peer = LocalMsp.loadSigningIdentity("Org1MSP", peerDir.resolve("msp"));
    }

    private void writeLedger(SigningIdentity ordererSigner) throws Exception {
        Random random = new Random(42);
        try (FileLedgerManager ledgers = new FileLedgerManager(dir.resolve("orderer"), LedgerConfig.defaults())) {
            BlockStore store = ledgers.create(genesis);
            Block previous = genesis;
            for (int n = 1; n <= blocks; n++) {
                List<ByteString> txs = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    byte[] value = new byte[1024];
                    random.nextBytes(value);
                    txs.add(envelope(value).toByteString());
                }
                Block block = BlockSignatures.sign(Blocks.newBlock(n, BlockHashing.headerHashBytes(previous.getHeader()), txs),
                        0, ByteString.EMPTY, ordererSigner);
                store.append(block);
                previous = block;
            }
        }
    }

    private static Envelope envelope(byte[] value) {
        ChannelHeader header = ChannelHeader.newBuilder().setType(HeaderType.MESSAGE_VALUE).setChannelId("vectors").build();
        Payload payload = Payload.newBuilder().setHeader(Header.newBuilder().setChannelHeader(header.toByteString()))
                .setData(ByteString.copyFrom(value)).build();
        return Envelope.newBuilder().setPayload(payload.toByteString()).setSignature(ByteString.copyFromUtf8("bench")).build();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        orderer.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public long fetchAll() throws Exception {
        CountDownLatch done = new CountDownLatch(blocks);
        BlockSink sink = (channel, block) -> done.countDown();
        ConfigBlockVerifier fabric = ConfigBlockVerifier.fromConfigBlock(genesis);
        BlockVerifier verifier = verify ? fabric : new BlockVerifier() {
            @Override
            public void verify(String channel, long blockNumber, Block block) {
            }

            @Override
            public void updateConfig(Block configBlock) {
            }

            @Override
            public OrdererAddresses ordererAddresses() {
                return fabric.ordererAddresses();
            }
        };
        byte[] genesisHash = BlockHashing.headerHash(genesis.getHeader());
        LedgerInfo ledger = new LedgerInfo() {
            @Override
            public long ledgerHeight() {
                return 1;
            }

            @Override
            public Optional<byte[]> currentBlockHash() {
                return Optional.of(genesisHash);
            }
        };
        try (DeliveryService service = DeliveryService.builder().config(config).clock(Clock.system()).dialer(dialer)
                .signer(peer).blockSink(sink).blockVerifiers(ch -> Optional.of(verifier)).build()) {
            service.startDeliverForChannel("vectors", ledger, () -> { });
            if (!done.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("only " + (blocks - done.getCount()) + " of " + blocks + " blocks arrived");
            }
        }
        return done.getCount();
    }
}
