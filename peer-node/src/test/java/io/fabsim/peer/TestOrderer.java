package io.fabsim.peer;

import com.google.protobuf.ByteString;
import io.fabsim.common.crypto.Signer;
import io.fabsim.common.grpc.GrpcServers;
import io.fabsim.common.msp.LocalMsp;
import io.fabsim.common.protoutil.BlockHashing;
import io.fabsim.common.protoutil.BlockSignatures;
import io.fabsim.common.protoutil.Blocks;
import io.fabsim.common.protoutil.EnvelopeSpec;
import io.fabsim.common.protoutil.Envelopes;
import io.fabsim.common.protoutil.SignedData;
import io.fabsim.common.grpc.ServerTls;
import io.fabsim.common.testing.FabricVectors;
import io.fabsim.common.time.Clock;
import io.fabsim.deliverserver.DeliverChain;
import io.fabsim.deliverserver.DeliverHandler;
import io.fabsim.deliverserver.DeliverMetrics;
import io.fabsim.deliverserver.ErrorSignal;
import io.fabsim.deliverserver.grpc.DeliverService;
import io.fabsim.deliverserver.testing.DeliverOnlyService;
import io.fabsim.ledger.BlockStore;
import io.fabsim.ledger.testing.InMemoryBlockStore;
import io.fabsim.tools.testing.VectorGenesis;
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
 * (plaintext, port 0, Deliver only) over an in-memory chain whose genesis names this orderer's port, blocks cut
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
        this(LocalMsp.loadSigningIdentity("OrdererMSP", FabricVectors.dir().resolve(
                "crypto-config/ordererOrganizations/example.com/orderers/orderer.example.com/msp")),
                tls ? Optional.of(vectorsTls()) : Optional.empty(), TestOrderer::genesisFor);
    }

    /** The genesis block of {@link #CHANNEL} for an orderer listening on {@code port}. */
    interface Genesis {
        Block forPort(int port) throws Exception;
    }

    /** An orderer that signs blocks as {@code ordererSigner}, serves with {@code tls} (or plaintext), from {@code genesis}. */
    TestOrderer(Signer ordererSigner, Optional<ServerTls> tls, Genesis genesis) throws Exception {
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
        this.ordererSigner = ordererSigner;
        server = GrpcServers.start(new InetSocketAddress("127.0.0.1", 0), tls,
                new DeliverOnlyService(new DeliverService(handler, workers)));
        client = LocalMsp.loadSigningIdentity("Org1MSP", FabricVectors.dir().resolve(
                "crypto-config/peerOrganizations/org1.example.com/users/User1@org1.example.com/msp"));
        this.genesis = genesis.forPort(server.getPort());
        store.append(this.genesis);
        blocks.add(this.genesis);
    }

    private static ServerTls vectorsTls() {
        Path ordererTls = FabricVectors.dir().resolve(
                "crypto-config/ordererOrganizations/example.com/orderers/orderer.example.com/tls");
        return ServerTls.serverOnly(ordererTls.resolve("server.crt"), ordererTls.resolve("server.key"));
    }

    /** The vectors' orgs, as configtxgen makes them, with this orderer's address as its endpoint. */
    static Block genesisFor(int port) throws Exception {
        return VectorGenesis.block(CHANNEL, port);
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
