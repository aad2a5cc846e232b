package io.fabsim.deliver.grpc;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabsim.common.protoutil.BlockHashing;
import io.fabsim.common.time.Clock;
import io.fabsim.deliver.DeliverClientConfig;
import io.fabsim.deliver.DeliveryService;
import io.fabsim.deliver.OrdererAddresses;
import io.fabsim.deliver.testing.FakeLedger;
import io.fabsim.deliver.testing.RecordingSink;
import io.fabsim.deliver.testing.SignatureBlockVerifier;
import io.fabsim.deliver.testing.TestBlocks;
import io.fabsim.deliver.testing.TestSigner;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.LongStream;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The deliver client over real gRPC with mutual TLS against two in-JVM orderers serving one chain.
 * Scenario: follow a growing chain; kill the orderer being read; one orderer serves a tampered block.
 * Expected: every block passed on exactly once, in order, verified; no thread or connection left.
 */
class GrpcDeliveryTest {

    private static final String CHANNEL = "ch1";

    private final KeyPair ordererKey = TestBlocks.newKeyPair();
    private final TestBlocks blocks = new TestBlocks(CHANNEL, ordererKey.getPrivate(), "orderer".getBytes());
    private final RecordingSink sink = new RecordingSink();
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final List<TestOrderer> orderers = new ArrayList<>();
    private TlsFixtures tls;
    private TestChain chain;
    private GrpcDialer dialer;
    private DeliveryService service;

    @BeforeEach
    void setUp() throws Exception {
        tls = new TlsFixtures();
        chain = new TestChain(blocks.chain(4));
        orderers.add(new TestOrderer(chain, tls));
        orderers.add(new TestOrderer(chain, tls));
        DeliverClientConfig config = DeliverClientConfig.defaults()
                .withBackoff(Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofMinutes(5));
        dialer = GrpcDialer.tls(Optional.of(tls.peerClientTls()), config);
        OrdererAddresses addresses = new OrdererAddresses(List.of(), Map.of("OrdererOrg",
                new OrdererAddresses.Org(orderers.stream().map(TestOrderer::address).toList(), List.of(tls.ordererCaPem()))));
        SignatureBlockVerifier verifier = new SignatureBlockVerifier(ordererKey.getPublic(), addresses, b -> addresses);
        service = DeliveryService.builder()
                .config(config)
                .clock(Clock.system())
                .dialer(dialer)
                .signer(TestSigner.generated())
                .blockSink(sink)
                .blockVerifiers(ch -> Optional.of(verifier))
                .metrics(registry)
                .random(() -> 0L)
                .build();
        FakeLedger ledger = new FakeLedger(1, BlockHashing.headerHash(chain.get(0).getHeader()));
        service.startDeliverForChannel(CHANNEL, ledger, () -> { });
    }

    @AfterEach
    void tearDown() throws Exception {
        service.stop();
        for (TestOrderer o : orderers) {
            o.close();
        }
        assertThat(dialer.openConnections()).as("gRPC channels left open").isZero();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("deliver-client-" + CHANNEL) && t.isAlive());
    }

    private void grow(int count) {
        for (int i = 0; i < count; i++) {
            chain.append(blocks.next(chain.last()));
        }
    }

    private List<Long> expectedUpTo(long last) {
        return LongStream.rangeClosed(1, last).boxed().toList();
    }

    private void assertPassedOnExactlyOnceInOrder(int height) {
        await().atMost(30, SECONDS).until(() -> sink.blocks.size() >= height - 1);
        assertThat(sink.numbers()).isEqualTo(expectedUpTo(height - 1));
        for (int n = 1; n < height; n++) {
            assertThat(sink.blocks.get(n - 1).toByteString()).isEqualTo(chain.get(n).toByteString());
        }
    }

    @Test
    void followsAGrowingChainOverMutualTls() {
        assertPassedOnExactlyOnceInOrder(4);
        grow(10);
        assertPassedOnExactlyOnceInOrder(14);
        grow(20);
        assertPassedOnExactlyOnceInOrder(34);

        assertThat(orderers.get(0).seekStarts).containsExactly(1L);
        assertThat(orderers.get(1).seekStarts).isEmpty();
        assertThat(orderers.get(0).bindingErrors).as("TLS cert hash bound in the request").isEmpty();
        assertThat(dialer.openConnections()).isEqualTo(1);
    }

    @Test
    void killingTheOrdererBeingReadContinuesFromAnotherWithNoGapAndNoDuplicate() throws Exception {
        grow(6);
        assertPassedOnExactlyOnceInOrder(10);

        orderers.get(0).kill();
        grow(15);

        assertPassedOnExactlyOnceInOrder(25);
        assertThat(orderers.get(1).seekStarts).containsExactly(10L);
        grow(5);
        assertPassedOnExactlyOnceInOrder(30);
    }

    @Test
    void aTamperedBlockFromOneOrdererIsRejectedAndTheChainContinuesFromAnother() {
        grow(6);
        orderers.get(0).tamper(b -> b.getHeader().getNumber() == 6 ? TestBlocks.withDataByteChanged(b) : b);

        assertPassedOnExactlyOnceInOrder(10);

        assertThat(orderers.get(0).seekStarts).containsExactly(1L);
        assertThat(orderers.get(1).seekStarts).containsExactly(6L);
        assertThat(registry.scrape().stream()
                .filter(m -> m.getMetadata().getPrometheusName().equals("deliver_client_blocks_rejected"))
                .flatMap(m -> m.getDataPoints().stream())
                .map(p -> p.getLabels().get("reason")).toList()).containsExactly("data_hash_mismatch");
    }
}
