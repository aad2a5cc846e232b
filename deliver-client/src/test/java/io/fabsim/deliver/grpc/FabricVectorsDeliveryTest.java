package io.fabsim.deliver.grpc;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.fabsim.common.protoutil.BlockHashing;
import io.fabsim.common.testing.FabricVectors;
import io.fabsim.common.time.Clock;
import io.fabsim.common.verify.InvalidBlockException;
import io.fabsim.deliver.AddressOverride;
import io.fabsim.deliver.ConfigBlockVerifier;
import io.fabsim.deliver.DeliverClientConfig;
import io.fabsim.deliver.DeliveryService;
import io.fabsim.deliver.testing.FakeLedger;
import io.fabsim.deliver.testing.RecordingSink;
import io.fabsim.deliver.testing.TestSigner;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

/**
 * The chain made by Fabric v2.5.12 (fabric-vectors/chain) served over mutual TLS by a test orderer,
 * verified by Fabric's block rules under the genesis config ({@link ConfigBlockVerifier}); the
 * channel config's orderer address (127.0.0.1:17050) is mapped to the test server with
 * {@code addressOverrides}, trusting the TLS CA from the genesis config.
 * Scenario: a peer at height 1, then one at height 3 offered each tampered block 3 first.
 * Expected: 1..14 accepted in order (10 updates the config); each tampered block rejected with its reason.
 */
class FabricVectorsDeliveryTest {

    private final RecordingSink sink = new RecordingSink();
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private TestChain chain;
    private TestOrderer orderer;
    private ConfigBlockVerifier verifier;
    private DeliveryService service;
    private GrpcDialer dialer;

    @BeforeEach
    void setUp() throws Exception {
        TlsFixtures tls = new TlsFixtures();
        List<Block> blocks = new ArrayList<>();
        for (int n = 0; n <= 14; n++) {
            blocks.add(Block.parseFrom(FabricVectors.read(FabricVectors.chainBlock(n))));
        }
        chain = new TestChain(blocks);
        orderer = new TestOrderer(chain, tls);
        verifier = ConfigBlockVerifier.fromConfigBlock(blocks.get(0));
        DeliverClientConfig config = DeliverClientConfig.defaults()
                .withBackoff(Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofMinutes(5))
                .withAddressOverrides(List.of(new AddressOverride("127.0.0.1:17050", orderer.address(), List.of())));
        dialer = GrpcDialer.tls(Optional.of(tls.peerClientTls()), config);
        service = DeliveryService.builder().config(config).clock(Clock.system()).dialer(dialer)
                .signer(TestSigner.generated()).blockSink(sink).blockVerifiers(ch -> Optional.of(verifier))
                .metrics(registry).build();
        logs.start();
        ((Logger) LoggerFactory.getLogger("io.fabsim.deliver.Deliverer")).addAppender(logs);
    }

    @AfterEach
    void tearDown() throws Exception {
        ((Logger) LoggerFactory.getLogger("io.fabsim.deliver.Deliverer")).detachAppender(logs);
        service.stop();
        orderer.close();
        assertThat(dialer.openConnections()).isZero();
    }

    private void startAt(int height) throws Exception {
        FakeLedger ledger = new FakeLedger(height, BlockHashing.headerHash(chain.get(height - 1).getHeader()));
        service.startDeliverForChannel("vectors", ledger, () -> { });
    }

    private void assertAcceptedInOrder(int from) {
        await().atMost(60, SECONDS).until(() -> sink.blocks.size() >= 15 - from);
        assertThat(sink.numbers()).isEqualTo(LongStream.rangeClosed(from, 14).boxed().toList());
        for (int n = from; n <= 14; n++) {
            assertThat(sink.blocks.get(n - from).toByteArray())
                    .as("block %d passed on byte for byte", n)
                    .isEqualTo(FabricVectors.read(FabricVectors.chainBlock(n)));
        }
    }

    @Test
    void everyBlockOfFabricsChainIsAcceptedInOrderAndBlockTenUpdatesTheConfig() throws Exception {
        assertThat(verifier.config().sequence()).isZero();
        startAt(1);

        assertAcceptedInOrder(1);
        assertThat(verifier.config().sequence()).isEqualTo(1);
        assertThat(verifier.config().batchTimeout()).isEqualTo(Duration.ofMillis(300));
        assertThat(orderer.seekStarts).containsExactly(1L);
        assertThat(orderer.bindingErrors).isEmpty();
        assertThat(logs.list.stream().anyMatch(e -> e.getFormattedMessage().contains("could not be verified"))).isFalse();
    }

    @ParameterizedTest(name = "{0}: rejected as {1}")
    @CsvSource({
        "block_3_tx_byte_changed, DATA_HASH_MISMATCH, Header.DataHash is different from Hash(block.Data) for block with id [3] on channel [vectors]",
        "block_3_orderer_signature_altered, BAD_SIGNATURE, 0 sub-policies were satisfied",
        "block_3_previous_hash_altered, PREVIOUS_HASH_MISMATCH, previous hash mismatch: expected 4e0d4faf",
        "block_3_number_altered_to_4, WRONG_NUMBER, Claimed seqNum is [3] but actual seqNum inside block is [4]",
    })
    void everyTamperedVectorIsRejectedWithItsReasonAndNeverPassedOn(String vector, InvalidBlockException.Reason reason,
            String message) throws Exception {
        Block tampered = Block.parseFrom(FabricVectors.read(FabricVectors.dir().resolve("negative").resolve(vector + ".block")));
        AtomicBoolean served = new AtomicBoolean();
        orderer.tamper(b -> b.getHeader().getNumber() == 3 && served.compareAndSet(false, true) ? tampered : b);
        startAt(3);

        assertAcceptedInOrder(3);
        assertThat(served).isTrue();
        assertThat(orderer.seekStarts).containsExactly(3L, 3L);
        assertThat(registry.scrape().stream()
                .filter(m -> m.getMetadata().getPrometheusName().equals("deliver_client_blocks_rejected"))
                .flatMap(m -> m.getDataPoints().stream())
                .map(p -> p.getLabels().get("reason")).toList()).containsExactly(reason.name().toLowerCase());
        assertThat(logs.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains("could not be verified (" + reason + ")"))).singleElement().asString().contains(message);
    }
}
