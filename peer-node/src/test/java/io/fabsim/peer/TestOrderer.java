package io.fabsim.peer;

import com.google.protobuf.ByteString;
import io.fabsim.common.config.ConfigLoader;
import io.fabsim.common.configtx.ConfigtxConfig;
import io.fabsim.common.configtx.ConfigtxGenerator;
import io.fabsim.common.crypto.Signer;
import io.fabsim.common.msp.LocalMsp;
import io.fabsim.common.protoutil.BlockHashing;
import io.fabsim.common.protoutil.BlockSignatures;
import io.fabsim.common.protoutil.Blocks;
import io.fabsim.common.protoutil.EnvelopeSpec;
import io.fabsim.common.protoutil.Envelopes;
import io.fabsim.common.testing.FabricVectors;
import io.fabsim.common.time.Clock;
import io.fabsim.ledger.BlockStore;
import io.fabsim.ledger.testing.InMemoryBlockStore;
import io.fabsim.ledger.testing.InMemoryLedgerManager;
import io.fabsim.orderer.chain.BroadcastHandler;
import io.fabsim.orderer.chain.Chains;
import io.fabsim.orderer.deliver.DeliverChain;
import io.fabsim.orderer.deliver.DeliverHandler;
import io.fabsim.orderer.deliver.DeliverMetrics;
import io.fabsim.orderer.deliver.ErrorSignal;
import io.fabsim.common.protoutil.SignedData;
import io.fabsim.orderer.grpc.AtomicBroadcastService;
import io.fabsim.orderer.grpc.DeliverService;
import io.fabsim.orderer.grpc.GrpcServers;
import io.fabsim.orderer.grpc.ServerTls;
import io.grpc.Server;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.HeaderType;

/**
 * A minimal in-JVM ordering service for peer tests: the orderer's real Deliver handler and gRPC glue
 * (plaintext, port 0) over an in-memory chain whose genesis names this orderer's port, blocks cut
 * on demand and signed by the vectors' {@code orderer.example.com}. Every client may read.
 */
final class TestOrderer implements AutoCloseable {

    static final String CHANNEL = "peerch";

    private final InMemoryBlockStore store = new InMemoryBlockStore(CHANNEL);
    private final ErrorSignal errors = new ErrorSignal();
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-orderer-deliver");
        t.setDaemon(true);
        return t;
    });
    private final Server server;
    private final Signer ordererSigner;
    private final Signer client;
    private final Block genesis;
    private final List<Block> blocks = new ArrayList<>();

    TestOrderer() throws Exception {
        this(false);
    }

    /** {@code tls}: serve with the vectors' {@code orderer.example.com} TLS certificate (server-side TLS). */
    TestOrderer(boolean tls) throws Exception {
        Path vectors = FabricVectors.dir();
        DeliverChain chain = new DeliverChain() {
            @Override
            public BlockStore blocks() {
                return store;
            }

            @Override
            public ErrorSignal errorSignal() {
                return errors;
            }

            @Override
            public long configSequence() {
                return 0;
            }

            @Override
            public void checkReaders(SignedData request) {
            }
        };
        DeliverHandler handler = new DeliverHandler(id -> id.equals(CHANNEL) ? Optional.of(chain) : Optional.empty(),
                new DeliverHandler.Settings(DeliverHandler.Settings.DEFAULT_TIME_WINDOW, false), Clock.system(),
                DeliverMetrics.unregistered());
        ordererSigner = LocalMsp.loadSigningIdentity("OrdererMSP",
                vectors.resolve("crypto-config/ordererOrganizations/example.com/orderers/orderer.example.com/msp"));
        // Broadcast serves no channel here (blocks are cut by cut()); only Deliver is used.
        BroadcastHandler broadcast = new BroadcastHandler(new Chains(new InMemoryLedgerManager(), ordererSigner,
                Clock.system()), ordererSigner, Clock.system());
        Path ordererTls = vectors.resolve("crypto-config/ordererOrganizations/example.com/orderers/orderer.example.com/tls");
        server = GrpcServers.start(new InetSocketAddress("127.0.0.1", 0), tls
                ? Optional.of(ServerTls.serverOnly(ordererTls.resolve("server.crt"), ordererTls.resolve("server.key")))
                : Optional.empty(),
                new AtomicBroadcastService(new DeliverService(handler, workers), broadcast));
        client = LocalMsp.loadSigningIdentity("Org1MSP",
                vectors.resolve("crypto-config/peerOrganizations/org1.example.com/users/User1@org1.example.com/msp"));
        genesis = genesisFor(server.getPort());
        store.append(genesis);
        blocks.add(genesis);
    }

    /** Fabric's configtxgen output for the vectors' orgs, with this orderer's address as its endpoint. */
    static Block genesisFor(int port) throws Exception {
        return genesisFor(CHANNEL, port);
    }

    static Block genesisFor(String channel, int port) throws Exception {
        String conf = """
                Organizations {
                  OrdererOrg { Name = OrdererOrg, ID = OrdererMSP, MSPDir = "crypto-config/ordererOrganizations/example.com/msp"
                               OrdererEndpoints = ["127.0.0.1:%d"] }
                  Org1 { Name = Org1MSP, ID = Org1MSP, MSPDir = "crypto-config/peerOrganizations/org1.example.com/msp" }
                }
                Profiles {
                  Test {
                    Orderer {
                      OrdererType = solo
                      BatchTimeout = 250ms
                      BatchSize { MaxMessageCount = 5, AbsoluteMaxBytes = "99 MB", PreferredMaxBytes = "512 KB" }
                      Organizations = [OrdererOrg]
                    }
                    Application { Organizations = [Org1] }
                  }
                }
                """.formatted(port);
        ConfigtxConfig file = ConfigtxConfig.from(ConfigLoader.fromString(conf), Optional.of(FabricVectors.dir()));
        return ConfigtxGenerator.genesisBlock(channel, ConfigtxGenerator.channelConfig(file, file.profile("Test")),
                Clock.system());
    }

    Block genesis() {
        return genesis;
    }

    int port() {
        return server.getPort();
    }

    /** Cuts {@code count} signed data blocks of one transaction each. */
    synchronized void cut(int count) throws Exception {
        for (int i = 0; i < count; i++) {
            store.append(nextBlock());
            blocks.add(store.block(store.height() - 1));
        }
    }

    /** The next block as the orderer would cut it, without appending it. */
    synchronized Block nextBlock() {
        Block previous = blocks.get(blocks.size() - 1);
        ByteString tx = Envelopes.createSigned(EnvelopeSpec.of(HeaderType.MESSAGE, CHANNEL,
                ByteString.copyFromUtf8("tx " + blocks.size())), client, Clock.system()).toByteString();
        Block block = Blocks.newBlock(previous.getHeader().getNumber() + 1,
                ByteString.copyFrom(BlockHashing.headerHash(previous.getHeader())), List.of(tx));
        return BlockSignatures.sign(block, 0, ByteString.EMPTY, ordererSigner);
    }

    synchronized long height() {
        return blocks.size();
    }

    synchronized Block block(long number) {
        return blocks.get((int) number);
    }

    @Override
    public void close() {
        server.shutdownNow();
        workers.shutdownNow();
        store.close();
    }
}
