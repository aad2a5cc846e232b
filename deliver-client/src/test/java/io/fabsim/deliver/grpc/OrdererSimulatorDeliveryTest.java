package io.fabsim.deliver.grpc;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabsim.common.config.ConfigLoader;
import io.fabsim.common.msp.LocalMsp;
import io.fabsim.common.protoutil.BlockHashing;
import io.fabsim.common.testing.FabricVectors;
import io.fabsim.common.time.Clock;
import io.fabsim.common.verify.InvalidBlockException;
import io.fabsim.deliver.BlockVerifier;
import io.fabsim.deliver.ConfigBlockVerifier;
import io.fabsim.deliver.DeliverClientConfig;
import io.fabsim.deliver.DeliveryService;
import io.fabsim.deliver.OrdererAddresses;
import io.fabsim.deliver.testing.FakeLedger;
import io.fabsim.deliver.testing.RecordingSink;
import io.fabsim.ledger.BlockStore;
import io.fabsim.ledger.LedgerConfig;
import io.fabsim.ledger.file.FileLedgerManager;
import io.fabsim.orderer.Orderer;
import io.fabsim.orderer.OrdererConfig;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.LongStream;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario: the real orderer simulator in this JVM, with Fabric's vectors identity and channel:
 * orderer0 orders channel {@code vectors} (Fabric's 15 blocks, then blocks cut from its load
 * source), orderer1 follows it; both require mutual TLS and check the peer's Deliver request
 * (signature, Readers policy, TLS binding). The peer reads from orderer1, which is then killed.
 * Expected: the deliver client verifies and passes on every block once and in order, Fabric's
 * blocks byte for byte, and keeps following orderer0's growing chain after the kill.
 */
class OrdererSimulatorDeliveryTest {

    @TempDir
    Path dir;

    private Orderer orderer0;
    private Orderer orderer1;
    private DeliveryService service;
    private GrpcDialer dialer;
    private final RecordingSink sink = new RecordingSink();
    private final PrometheusRegistry registry = new PrometheusRegistry();

    @AfterEach
    void tearDown() {
        if (service != null) {
            service.stop();
        }
        if (orderer1 != null) {
            orderer1.close();
        }
        if (orderer0 != null) {
            orderer0.close();
        }
        if (dialer != null) {
            assertThat(dialer.openConnections()).isZero();
        }
    }

    private static OrdererConfig ordererConfig(Path ledger, String name, String follow, boolean load) {
        Path crypto = FabricVectors.dir().resolve("crypto-config");
        Path node = crypto.resolve("ordererOrganizations/example.com/orderers/orderer.example.com");
        Path org1TlsCa = crypto.resolve("peerOrganizations/org1.example.com/tlsca/tlsca.org1.example.com-cert.pem");
        return OrdererConfig.from(ConfigLoader.fromString("""
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
                orderer { nodeName = "%s", follower { source = "%s", channels = ["vectors"], tls = true, retryInterval = 50ms },
                          load { enabled = %s, rate = 200, txSize = 256 } }
                """.formatted(node.resolve("tls/server.key"), node.resolve("tls/server.crt"), node.resolve("tls/ca.crt"),
                org1TlsCa, node.resolve("msp"), ledger, name, follow, load)));
    }

    /** Verification as Fabric's peer does it, with the config's single orderer address replaced by the two running ones. */
    private static BlockVerifier verifierFor(Block genesis, List<String> addresses) throws Exception {
        ConfigBlockVerifier config = ConfigBlockVerifier.fromConfigBlock(genesis);
        OrdererAddresses.Org org = config.ordererAddresses().orgs().values().iterator().next();
        OrdererAddresses running = new OrdererAddresses(List.of(), Map.of("OrdererOrg",
                new OrdererAddresses.Org(addresses, org.tlsRootCerts())));
        return new BlockVerifier() {
            @Override
            public void verify(String channel, long blockNumber, Block block) throws InvalidBlockException {
                config.verify(channel, blockNumber, block);
            }

            @Override
            public void updateConfig(Block configBlock) throws InvalidBlockException {
                config.updateConfig(configBlock);
            }

            @Override
            public OrdererAddresses ordererAddresses() {
                return running;
            }
        };
    }

    @Test
    void followsTheOrdererSimulatorAndFailsOverFromAKilledFollowerWithNoGapAndNoDuplicate() throws Exception {
        Block genesis = Block.parseFrom(FabricVectors.read(FabricVectors.chainBlock(0)));
        try (FileLedgerManager ledgers = new FileLedgerManager(dir.resolve("orderer0"), LedgerConfig.defaults())) {
            BlockStore store = ledgers.create(genesis);
            for (int n = 1; n <= 14; n++) {
                store.append(Block.parseFrom(FabricVectors.read(FabricVectors.chainBlock(n))));
            }
        }
        orderer0 = Orderer.start(ordererConfig(dir.resolve("orderer0"), "orderer0", "", true));
        orderer1 = Orderer.start(ordererConfig(dir.resolve("orderer1"), "orderer1", orderer0.address().toString(), false));
        await().atMost(60, SECONDS).until(() -> orderer1.chains().chain("vectors").map(c -> c.blocks().height()).orElse(0L) >= 15);

        TlsFixtures tls = new TlsFixtures();
        DeliverClientConfig config = DeliverClientConfig.defaults()
                .withBackoff(Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofMinutes(5));
        dialer = GrpcDialer.tls(Optional.of(tls.peerClientTls()), config);
        BlockVerifier verifier = verifierFor(genesis, List.of(orderer1.address().toString(), orderer0.address().toString()));
        Path peerMsp = FabricVectors.dir().resolve("crypto-config/peerOrganizations/org1.example.com/peers/peer0.org1.example.com/msp");
        service = DeliveryService.builder().config(config).clock(Clock.system()).dialer(dialer)
                .signer(LocalMsp.loadSigningIdentity("Org1MSP", peerMsp)).blockSink(sink)
                .blockVerifiers(ch -> Optional.of(verifier)).random(() -> 0L).metrics(registry).build();
        service.startDeliverForChannel("vectors", new FakeLedger(1, BlockHashing.headerHash(genesis.getHeader())), () -> { });

        await().atMost(60, SECONDS).until(() -> sink.blocks.size() >= 30);
        for (int n = 1; n <= 14; n++) {
            assertThat(sink.blocks.get(n - 1).toByteArray()).isEqualTo(FabricVectors.read(FabricVectors.chainBlock(n)));
        }
        assertThat(reconnects()).as("read from the follower so far").isZero();
        orderer1.close();
        int atKill = sink.blocks.size();

        await().atMost(60, SECONDS).until(() -> sink.blocks.size() >= atKill + 30);
        List<Long> seqNums = sink.numbers();
        assertThat(seqNums).isEqualTo(LongStream.rangeClosed(1, seqNums.size()).boxed().toList());
        assertThat(service.isDelivering("vectors")).isTrue();
        assertThat(reconnects()).isEqualTo(1);
    }

    private double reconnects() {
        return registry.scrape().stream().filter(m -> m.getMetadata().getPrometheusName().equals("deliver_client_reconnects"))
                .flatMap(m -> m.getDataPoints().stream())
                .mapToDouble(p -> ((io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot) p).getValue())
                .sum();
    }
}
