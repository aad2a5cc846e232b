package io.fabsim.deliverserver.grpc;

import io.fabsim.common.grpc.GrpcServers;
import io.fabsim.common.grpc.ServerTls;
import io.fabsim.common.protoutil.SeekInfos;
import io.fabsim.common.testing.TestPki;
import io.fabsim.common.testing.TestSigner;
import io.fabsim.common.time.ManualClock;
import io.fabsim.deliverserver.DeliverChain;
import io.fabsim.deliverserver.DeliverHandler;
import io.fabsim.deliverserver.DeliverMetrics;
import io.fabsim.deliverserver.testing.DeliverOnlyService;
import io.fabsim.deliverserver.testing.DeliverTestClient;
import io.fabsim.deliverserver.testing.FakeChain;
import io.fabsim.ledger.testing.InMemoryBlockStore;
import io.fabsim.ledger.testing.TestBlocks;
import io.grpc.Server;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.SeekPosition;

/**
 * A Deliver server over real gRPC with TLS (optionally mutual) on 127.0.0.1, serving channel
 * {@code ch1} (a config block 0 and data blocks 1..4, readers Org1MSP) from memory, with a manual clock.
 */
final class DeliverFixture implements AutoCloseable {

    static final String CHANNEL = "ch1";

    final ManualClock clock = new ManualClock();
    final TestPki ordererPki = new TestPki("example.com");
    final TestPki org1Pki = new TestPki("org1.example.com");
    final TestPki org2Pki = new TestPki("org2.example.com");
    final TestPki.Issued clientTls = org1Pki.tls("client.org1.example.com");
    final TestSigner reader = new TestSigner("Org1MSP", org1Pki.enroll("User1@org1.example.com", "client"));
    final TestSigner outsider = new TestSigner("Org2MSP", org2Pki.enroll("User1@org2.example.com", "client"));
    final InMemoryBlockStore store = new InMemoryBlockStore(CHANNEL);
    final FakeChain chain = new FakeChain(store, Set.of("Org1MSP"));
    final DeliverMetrics metrics = DeliverMetrics.unregistered();
    final boolean mutualTls;
    private final ExecutorService workers = Executors.newCachedThreadPool();
    private final Server server;
    private final DeliverTestClient client;

    DeliverFixture(Path dir, boolean mutualTls) throws Exception {
        this.mutualTls = mutualTls;
        TestBlocks.genesis(store);
        for (int i = 0; i < 4; i++) {
            TestBlocks.appendData(store, 2, 100);
        }
        Map<String, DeliverChain> chains = Map.of(CHANNEL, chain);
        DeliverHandler handler = new DeliverHandler(id -> Optional.ofNullable(chains.get(id)),
                new DeliverHandler.Settings(DeliverHandler.Settings.DEFAULT_TIME_WINDOW, mutualTls), clock, metrics);
        TestPki.TlsFiles serverFiles = ordererPki.tls("orderer.example.com").write(dir, "server");
        Path clientCa = dir.resolve("org1-ca.crt");
        java.nio.file.Files.writeString(clientCa, org1Pki.ca().certificatePem());
        ServerTls tls = new ServerTls(serverFiles.certificate(), serverFiles.privateKey(), mutualTls, List.of(clientCa));
        server = GrpcServers.start(new InetSocketAddress("127.0.0.1", 0), Optional.of(tls),
                new DeliverOnlyService(new DeliverService(handler, workers)));
        client = new DeliverTestClient(server.getPort(), ordererPki.ca(), mutualTls ? clientTls : null);
    }

    DeliverTestClient.Stream open() {
        return client.open();
    }

    /** A signed request by the Org1 reader, timestamped now, bound to the client TLS cert under mutual TLS. */
    Envelope request(SeekPosition start, SeekPosition stop) {
        return request(SeekInfo.newBuilder().setStart(start).setStop(stop).build());
    }

    Envelope request(SeekInfo seekInfo) {
        return request(reader, seekInfo);
    }

    Envelope request(TestSigner signer, SeekInfo seekInfo) {
        byte[] hash = mutualTls ? clientTls.certificateDerSha256() : new byte[0];
        return SeekInfos.seekEnvelope(CHANNEL, seekInfo, signer, clock, hash);
    }

    @Override
    public void close() throws Exception {
        client.close();
        server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        workers.shutdownNow();
        store.close();
    }
}
