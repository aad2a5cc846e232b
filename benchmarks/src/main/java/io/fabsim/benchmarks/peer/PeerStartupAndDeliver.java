package io.fabsim.benchmarks.peer;

import com.google.protobuf.ByteString;
import io.fabsim.common.config.ConfigLoader;
import io.fabsim.common.crypto.Signer;
import io.fabsim.common.msp.LocalMsp;
import io.fabsim.common.protoutil.BlockHashing;
import io.fabsim.common.protoutil.BlockSignatures;
import io.fabsim.common.protoutil.Blocks;
import io.fabsim.common.protoutil.EnvelopeSpec;
import io.fabsim.common.protoutil.Envelopes;
import io.fabsim.common.protoutil.SeekInfos;
import io.fabsim.common.time.Clock;
import io.fabsim.ledger.BlockStore;
import io.fabsim.ledger.LedgerConfig;
import io.fabsim.ledger.file.FileLedgerManager;
import io.fabsim.peer.PeerNode;
import io.fabsim.tools.configtxgen.ConfigtxConfig;
import io.fabsim.tools.configtxgen.ConfigtxGenerator;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.peer.DeliverGrpc;
import org.hyperledger.fabric.protos.peer.DeliverResponse;

/**
 * Two peer figures on a real file ledger of N signed blocks (10 transactions of 1 KiB each,
 * Fabric vectors' identities): the time {@code PeerNode.start} takes to open the ledger, read its
 * config, rebuild the committer's tx-id index and serve; then the rate at which the peer's
 * {@code protos.Deliver} (and {@code DeliverFiltered}) streams the whole chain to one client over
 * plaintext loopback, best and median of 5 rounds.
 *
 * <pre>java -Dfabric.vectors.dir=../shared/fabric-vectors -cp benchmarks/target/benchmarks.jar \
 *     io.fabsim.benchmarks.peer.PeerStartupAndDeliver 2000</pre>
 */
public final class PeerStartupAndDeliver {

    private static final String CHANNEL = "bench";

    private PeerStartupAndDeliver() {
    }

    public static void main(String[] args) throws Exception {
        int blocks = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        Path vectors = Path.of(System.getProperty("fabric.vectors.dir", "../shared/fabric-vectors")).toAbsolutePath();
        Path crypto = vectors.resolve("crypto-config");
        Path dir = Files.createTempDirectory("fabsim-peer-bench");
        Signer orderer = LocalMsp.loadSigningIdentity("OrdererMSP",
                crypto.resolve("ordererOrganizations/example.com/orderers/orderer.example.com/msp"));
        Signer user = LocalMsp.loadSigningIdentity("Org1MSP",
                crypto.resolve("peerOrganizations/org1.example.com/users/User1@org1.example.com/msp"));
        writeLedger(dir.resolve("ledgers"), vectors, blocks, orderer, user);

        long t0 = System.nanoTime();
        try (PeerNode peer = PeerNode.start(ConfigLoader.fromString("""
                peer.localMspId = Org1MSP
                peer.mspConfigPath = "%s"
                peer.fileSystemPath = "%s"
                peer.listenAddress = "127.0.0.1:0"
                operations.listenAddress = "127.0.0.1:0"
                peer.gossip.useLeaderElection = false
                """.formatted(crypto.resolve("peerOrganizations/org1.example.com/peers/peer0.org1.example.com/msp"),
                dir.resolve("ledgers"))), Clock.system())) {
            double startMs = (System.nanoTime() - t0) / 1e6;
            System.out.printf("peer start over %d blocks (+ genesis): %.0f ms%n", blocks, startMs);
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", peer.grpcPort()).usePlaintext()
                    .maxInboundMessageSize(100 * 1024 * 1024).build();
            try {
                for (boolean filtered : new boolean[] {false, true}) {
                    List<Double> rates = new ArrayList<>();
                    for (int round = 0; round < 5; round++) {
                        rates.add(deliverAll(channel, user, blocks + 1, filtered));
                    }
                    Collections.sort(rates);
                    System.out.printf("%s: best %.0f blocks/s, median %.0f blocks/s (rounds %s)%n",
                            filtered ? "DeliverFiltered" : "Deliver", rates.get(4), rates.get(2),
                            rates.stream().map(r -> String.format("%.0f", r)).toList());
                }
            } finally {
                channel.shutdownNow();
            }
        }
    }

    private static double deliverAll(ManagedChannel channel, Signer user, int expected, boolean filtered) {
        SeekInfo seek = SeekInfos.seekInfo(SeekInfos.oldest(), SeekInfos.specified(expected - 1),
                SeekInfo.SeekBehavior.BLOCK_UNTIL_READY);
        Envelope request = SeekInfos.seekEnvelope(CHANNEL, seek, user, Clock.system());
        long t0 = System.nanoTime();
        int count = 0;
        var queue = new java.util.concurrent.LinkedBlockingQueue<DeliverResponse>();
        var observer = new io.grpc.stub.StreamObserver<DeliverResponse>() {
            @Override
            public void onNext(DeliverResponse value) {
                queue.add(value);
            }

            @Override
            public void onError(Throwable t) {
                queue.add(DeliverResponse.newBuilder().setStatus(org.hyperledger.fabric.protos.common.Status.BAD_REQUEST).build());
            }

            @Override
            public void onCompleted() {
            }
        };
        var async = DeliverGrpc.newStub(channel);
        var requests = filtered ? async.deliverFiltered(observer) : async.deliver(observer);
        requests.onNext(request);
        try {
            while (true) {
                DeliverResponse response = queue.take();
                if (response.hasStatus()) {
                    if (count != expected) {
                        throw new IllegalStateException("got " + count + " blocks then " + response.getStatus());
                    }
                    break;
                }
                count++;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        requests.onCompleted();
        return count / ((System.nanoTime() - t0) / 1e9);
    }

    private static void writeLedger(Path root, Path vectors, int blocks, Signer orderer, Signer user) throws Exception {
        String conf = """
                Organizations {
                  OrdererOrg { Name = OrdererOrg, ID = OrdererMSP, MSPDir = "crypto-config/ordererOrganizations/example.com/msp"
                               OrdererEndpoints = ["127.0.0.1:1"] }
                  Org1 { Name = Org1MSP, ID = Org1MSP, MSPDir = "crypto-config/peerOrganizations/org1.example.com/msp" }
                }
                Profiles.Bench {
                  Orderer { OrdererType = solo, BatchTimeout = 1s, Organizations = [OrdererOrg]
                    BatchSize { MaxMessageCount = 10, AbsoluteMaxBytes = "99 MB", PreferredMaxBytes = "512 KB" } }
                  Application { Organizations = [Org1] }
                }
                """;
        ConfigtxConfig file = ConfigtxConfig.from(ConfigLoader.fromString(conf), Optional.of(vectors));
        Block previous = ConfigtxGenerator.genesisBlock(CHANNEL,
                ConfigtxGenerator.channelConfig(file, file.profile("Bench")), Clock.system());
        try (FileLedgerManager ledgers = new FileLedgerManager(root, LedgerConfig.defaults().withFsync(false))) {
            BlockStore store = ledgers.create(previous);
            List<ByteString> txs = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                txs.add(Envelopes.createSigned(EnvelopeSpec.of(HeaderType.MESSAGE, CHANNEL,
                        ByteString.copyFrom(new byte[1024])), user, Clock.system()).toByteString());
            }
            for (int n = 1; n <= blocks; n++) {
                Block block = Blocks.newBlock(n, ByteString.copyFrom(BlockHashing.headerHash(previous.getHeader())), txs);
                previous = BlockSignatures.sign(block, 0, ByteString.EMPTY, orderer);
                store.append(previous);
            }
        }
    }
}
