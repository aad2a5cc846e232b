package io.fabsim.deliver;

import com.google.protobuf.ByteString;
import io.fabsim.common.protoutil.BlockHashing;
import io.fabsim.common.testing.TestPki;
import io.fabsim.common.testing.TestSigner;
import io.fabsim.common.time.ManualClock;
import io.fabsim.deliver.testing.FakeDialer;
import io.fabsim.deliver.testing.FakeLedger;
import io.fabsim.deliver.testing.RecordingSink;
import io.fabsim.deliver.testing.SignatureBlockVerifier;
import io.fabsim.ledger.testing.TestBlocks;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.hyperledger.fabric.protos.common.Block;

/** One deliver client over fakes: a manual clock, a scripted dialer, a recording sink. */
final class Harness implements AutoCloseable {

    static final String CHANNEL = "ch1";
    static final OrdererAddresses TWO_ORDERERS = new OrdererAddresses(List.of(),
            Map.of("OrdererOrg", new OrdererAddresses.Org(List.of("orderer0:7050", "orderer1:7050"),
                    List.of(ByteString.copyFromUtf8("ca-pem")))));

    final TestSigner orderer = TestPki.org("OrdererMSP").node("orderer.example.com").signer();
    final TestBlocks.Signed blocks = TestBlocks.signed(CHANNEL, orderer);
    final List<Block> chain = blocks.chain(12);
    final ManualClock clock = new ManualClock();
    final RecordingSink sink = new RecordingSink();
    final TestSigner signer = TestSigner.generated();
    final FakeLedger ledger = new FakeLedger(5, BlockHashing.headerHash(chain.get(4).getHeader()));
    final PrometheusRegistry registry = new PrometheusRegistry();
    final AtomicInteger finalized = new AtomicInteger();
    final SignatureBlockVerifier verifier;
    final FakeDialer dialer;
    DeliveryService service;

    Harness() {
        this(TWO_ORDERERS, b -> TWO_ORDERERS);
    }

    Harness(OrdererAddresses initial, Function<Block, OrdererAddresses> configAddresses) {
        this.dialer = new FakeDialer(i -> FakeDialer.Script.idle());
        this.verifier = new SignatureBlockVerifier(orderer.keyPair().getPublic(), initial, configAddresses);
    }

    Harness start(DeliverClientConfig config, boolean staticLeader) throws DeliveryServiceException {
        build(config, staticLeader);
        service.startDeliverForChannel(CHANNEL, ledger, finalized::incrementAndGet);
        return this;
    }

    /** Builds the service without starting a channel. */
    Harness build(DeliverClientConfig config, boolean staticLeader) {
        service = DeliveryService.builder()
                .config(config)
                .clock(clock)
                .dialer(dialer)
                .signer(signer)
                .blockSink(sink)
                .blockVerifiers(ch -> ch.equals(CHANNEL) ? Optional.of(verifier) : Optional.empty())
                .metrics(registry)
                .random(firstChoice())
                .staticLeader(staticLeader)
                .build();
        return this;
    }

    Harness start() throws DeliveryServiceException {
        return start(DeliverClientConfig.defaults(), false);
    }

    /** Fabric's test settings: max interval 10 s, max total 1 h. */
    static DeliverClientConfig fabricTestConfig() {
        return DeliverClientConfig.defaults().withBackoff(Duration.ofMillis(100), Duration.ofSeconds(10), Duration.ofHours(1));
    }

    List<Block> blocks(int from, int toInclusive) {
        return chain.subList(from, toInclusive + 1);
    }

    Harness scripts(FakeDialer.Script... list) {
        dialer.setScripts(i -> i < list.length ? list[i] : FakeDialer.Script.idle());
        return this;
    }

    /** A random source that always picks the first candidate, so endpoint choices are predictable. */
    static RandomGenerator firstChoice() {
        return () -> 0L;
    }

    static boolean loopAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("deliver-client-" + CHANNEL) && t.isAlive());
    }

    @Override
    public void close() {
        if (service != null) {
            service.stop();
        }
    }
}
