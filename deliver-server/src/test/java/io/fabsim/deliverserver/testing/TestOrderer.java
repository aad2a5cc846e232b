package io.fabsim.deliverserver.testing;

import com.google.protobuf.ByteString;
import io.fabsim.common.crypto.Signer;
import io.fabsim.common.grpc.GrpcServers;
import io.fabsim.common.grpc.ServerTls;
import io.fabsim.common.protoutil.BlockHashing;
import io.fabsim.common.protoutil.BlockSignatures;
import io.fabsim.common.protoutil.Blocks;
import io.fabsim.common.protoutil.EnvelopeSpec;
import io.fabsim.common.protoutil.Envelopes;
import io.fabsim.common.time.Clock;
import io.fabsim.deliverserver.DeliverChain;
import io.fabsim.deliverserver.DeliverHandler;
import io.fabsim.deliverserver.DeliverMetrics;
import io.fabsim.deliverserver.grpc.DeliverService;
import io.fabsim.ledger.BlockIterator;
import io.fabsim.ledger.BlockStore;
import io.fabsim.ledger.ChainInfo;
import io.fabsim.ledger.LedgerException;
import io.fabsim.ledger.testing.InMemoryBlockStore;
import io.grpc.Server;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;

/**
 * An in-JVM ordering service for tests: the real Deliver handler and gRPC glue (Deliver only) on a free
 * port of 127.0.0.1, plaintext or with TLS (mutual TLS also checks each request's TLS certificate hash
 * binding, as Fabric does), over one channel's block store. Every client may read. Blocks are appended
 * by the test, or cut on demand ({@link #cut}) and signed by the orderer's identity. A test can tamper
 * with the blocks served, read the seek start of each request and the statuses answered, and kill it.
 */
public final class TestOrderer implements AutoCloseable {

    /** Signs blocks, and the one transaction of each block {@link #cut} makes. */
    public record Signers(Signer orderer, Signer client) {
    }

    private final BlockStore store;
    private final boolean ownsStore;
    private final Optional<Signers> signers;
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-orderer-deliver");
        t.setDaemon(true);
        return t;
    });
    private final Server server;
    private final List<Long> seekStarts = new CopyOnWriteArrayList<>();
    private final List<Status> statuses = new CopyOnWriteArrayList<>();
    private volatile UnaryOperator<Block> tamper = UnaryOperator.identity();

    private TestOrderer(BlockStore store, boolean ownsStore, Optional<ServerTls> tls, Optional<Signers> signers)
            throws Exception {
        this.store = store;
        this.ownsStore = ownsStore;
        this.signers = signers;
        DeliverChain chain = FakeChain.readableByAll(new ServedStore());
        boolean mutualTls = tls.map(ServerTls::clientAuthRequired).orElse(false);
        DeliverHandler handler = new DeliverHandler(
                id -> id.equals(store.channelId()) ? Optional.of(chain) : Optional.empty(),
                new DeliverHandler.Settings(DeliverHandler.Settings.DEFAULT_TIME_WINDOW, mutualTls), Clock.system(),
                DeliverMetrics.unregistered());
        DeliverService deliver = new DeliverService(handler, workers);
        server = GrpcServers.start(new InetSocketAddress("127.0.0.1", 0), tls, new AtomicBroadcastGrpc.AtomicBroadcastImplBase() {
            @Override
            public StreamObserver<Envelope> deliver(StreamObserver<DeliverResponse> responses) {
                return deliver.deliver(new StatusRecorder(responses));
            }
        });
    }

    /** Serves {@code store} (which the caller closes; several orderers may serve one store). */
    public static TestOrderer serving(BlockStore store, Optional<ServerTls> tls) throws Exception {
        return new TestOrderer(store, false, tls, Optional.empty());
    }

    /** Serves an empty in-memory chain of {@code channel} whose blocks {@link #cut} makes with {@code signers}. */
    public static TestOrderer cutting(String channel, Optional<ServerTls> tls, Signers signers) throws Exception {
        return new TestOrderer(new InMemoryBlockStore(channel), true, tls, Optional.of(signers));
    }

    public String channel() {
        return store.channelId();
    }

    public int port() {
        return server.getPort();
    }

    public String address() {
        return "127.0.0.1:" + port();
    }

    public void append(Block block) throws LedgerException {
        store.append(block);
    }

    public Block genesis() {
        return block(0);
    }

    public long height() {
        return store.height();
    }

    public Block block(long number) {
        try {
            return store.block(number);
        } catch (LedgerException e) {
            throw new IllegalStateException("test orderer " + address() + ": " + e.getMessage(), e);
        }
    }

    /** Cuts {@code count} signed data blocks of one transaction each. */
    public synchronized void cut(int count) throws LedgerException {
        for (int i = 0; i < count; i++) {
            store.append(nextBlock());
        }
    }

    /** The next block as the orderer would cut it, without appending it. */
    public synchronized Block nextBlock() {
        Signers by = signers.orElseThrow(() -> new IllegalStateException("this test orderer only serves blocks"));
        Block previous = block(store.height() - 1);
        ByteString tx = Envelopes.createSigned(EnvelopeSpec.of(HeaderType.MESSAGE, channel(),
                ByteString.copyFromUtf8("tx " + store.height())), by.client(), Clock.system()).toByteString();
        Block block = Blocks.newBlock(previous.getHeader().getNumber() + 1,
                ByteString.copyFrom(BlockHashing.headerHash(previous.getHeader())), List.of(tx));
        return BlockSignatures.sign(block, 0, ByteString.EMPTY, by.orderer());
    }

    /** From now on, each block is served as {@code tamper} returns it (the store keeps the original). */
    public void tamper(UnaryOperator<Block> tamper) {
        this.tamper = tamper;
    }

    /** The first block number of each seek served, in order. */
    public List<Long> seekStarts() {
        return List.copyOf(seekStarts);
    }

    /** The statuses answered, in order (a stream that ends normally answers SUCCESS). */
    public List<Status> statuses() {
        return List.copyOf(statuses);
    }

    /**
     * Kills the orderer: every connection drops at once and, as with a killed process, nothing more is
     * sent, not even a block appended right after (its deliver threads have ended on return).
     */
    public void kill() throws InterruptedException {
        server.shutdownNow();
        workers.shutdownNow();
        if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
            throw new AssertionError("test orderer " + address() + ": deliver threads still running 10 s after kill");
        }
    }

    @Override
    public void close() {
        server.shutdownNow();
        workers.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ownsStore) {
            store.close();
        }
    }

    /** The store as the handler sees it: seeks recorded, blocks passed through {@link #tamper}. */
    private final class ServedStore implements BlockStore {

        @Override
        public String channelId() {
            return store.channelId();
        }

        @Override
        public void append(Block block) throws LedgerException {
            throw new LedgerException("channel " + channelId() + ": the served view of a test orderer is read-only");
        }

        @Override
        public long height() {
            return store.height();
        }

        @Override
        public ChainInfo info() {
            return store.info();
        }

        @Override
        public Block block(long number) throws LedgerException {
            return tamper.apply(store.block(number));
        }

        @Override
        public BlockIterator iterator(long startNumber) throws LedgerException {
            seekStarts.add(startNumber);
            BlockIterator blocks = store.iterator(startNumber);
            return new BlockIterator() {
                @Override
                public Block next() throws LedgerException, InterruptedException {
                    return tamper.apply(blocks.next());
                }

                @Override
                public long position() {
                    return blocks.position();
                }

                @Override
                public void close() {
                    blocks.close();
                }
            };
        }

        @Override
        public void close() {
        }
    }

    /** Passes responses and flow control on, noting each status (the handler needs the server-side observer). */
    private final class StatusRecorder extends ServerCallStreamObserver<DeliverResponse> {

        private final ServerCallStreamObserver<DeliverResponse> out;

        StatusRecorder(StreamObserver<DeliverResponse> out) {
            this.out = (ServerCallStreamObserver<DeliverResponse>) out;
        }

        @Override
        public void onNext(DeliverResponse response) {
            if (response.getTypeCase() == DeliverResponse.TypeCase.STATUS) {
                statuses.add(response.getStatus());
            }
            out.onNext(response);
        }

        @Override
        public void onError(Throwable t) {
            out.onError(t);
        }

        @Override
        public void onCompleted() {
            out.onCompleted();
        }

        @Override
        public boolean isCancelled() {
            return out.isCancelled();
        }

        @Override
        public void setOnCancelHandler(Runnable handler) {
            out.setOnCancelHandler(handler);
        }

        @Override
        public void setCompression(String compression) {
            out.setCompression(compression);
        }

        @Override
        public boolean isReady() {
            return out.isReady();
        }

        @Override
        public void setOnReadyHandler(Runnable handler) {
            out.setOnReadyHandler(handler);
        }

        @Override
        public void setOnReadyThreshold(int numBytes) {
            out.setOnReadyThreshold(numBytes);
        }

        @Override
        public void disableAutoInboundFlowControl() {
            out.disableAutoInboundFlowControl();
        }

        @Override
        public void disableAutoRequest() {
            out.disableAutoRequest();
        }

        @Override
        public void request(int count) {
            out.request(count);
        }

        @Override
        public void setMessageCompression(boolean enable) {
            out.setMessageCompression(enable);
        }
    }
}
