package io.fabsim.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.fabsim.common.config.ConfigException;
import io.fabsim.common.config.FabricKeys;
import io.fabsim.common.testing.FabricVectors;
import io.fabsim.common.time.Clock;
import io.fabsim.peer.fabric.FabricPeerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Scenario: a peer started as {@code fabsim peer node start --config core.yaml} starts it, from Fabric's
 * own sample core.yaml (../shared/fabric-bin/config) with only the MSP, TLS and address settings
 * changed, by Fabric's {@code CORE_*} variables as a Fabric operator would.
 * Expected: it reads the keys it models with Fabric's meaning (the sample's static leader), serves
 * Deliver over TLS and {@code /status}, and logs one warning listing the Fabric keys it does not
 * model and one per variable that matches no key; a key that is neither fabsim's nor Fabric's stops
 * the start with an error naming it.
 */
class CoreYamlTest {

    private static final String UNMODELLED = "Keys of Fabric's core.yaml that fabsim does not model, ignored: ";
    private static final Path NODE = FabricVectors.dir()
            .resolve("crypto-config/peerOrganizations/org1.example.com/peers/peer0.org1.example.com");

    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger peerLog = (Logger) LoggerFactory.getLogger(PeerNode.class);
    private PeerNode peer;

    @BeforeEach
    void captureLogs() {
        logs.start();
        peerLog.addAppender(logs);
    }

    @AfterEach
    void stop() {
        peerLog.detachAppender(logs);
        if (peer != null) {
            peer.close();
        }
    }

    private static Path sample() {
        Path sample = FabricPeerProcess.binDir().resolve("config/core.yaml");
        assumeTrue(Files.isReadable(sample), "Fabric's sample core.yaml is absent (" + sample + "): skipped");
        return sample;
    }

    /** What differs from the sample: MSP, TLS and addresses (and where the ledgers go). */
    private Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        env.put("CORE_PEER_LISTENADDRESS", "127.0.0.1:0");
        env.put("CORE_PEER_ADDRESS", "127.0.0.1:7051");
        env.put("CORE_PEER_GOSSIP_BOOTSTRAP", "");
        env.put("CORE_OPERATIONS_LISTENADDRESS", "127.0.0.1:0");
        env.put("CORE_PEER_FILESYSTEMPATH", dir.resolve("production").toString());
        env.put("CORE_LEDGER_SNAPSHOTS_ROOTDIR", dir.resolve("production/snapshots").toString());
        env.put("CORE_PEER_LOCALMSPID", "Org1MSP");
        env.put("CORE_PEER_MSPCONFIGPATH", NODE.resolve("msp").toString());
        env.put("CORE_PEER_TLS_ENABLED", "true");
        env.put("CORE_PEER_TLS_CERT_FILE", NODE.resolve("tls/server.crt").toString());
        env.put("CORE_PEER_TLS_KEY_FILE", NODE.resolve("tls/server.key").toString());
        env.put("CORE_PEER_TLS_ROOTCERT_FILE", NODE.resolve("tls/ca.crt").toString());
        return env;
    }

    @Test
    void aPeerStartsFromFabricsSampleCoreYamlAndListsTheKeysItDoesNotModelOnce() throws Exception {
        Path core = Files.copy(sample(), dir.resolve("core.yaml"));
        Map<String, String> env = environment();
        env.put("CORE_PEER_GOSSIP_ORGLEADR", "true");

        peer = PeerNode.start(PeerNode.loadConfig(Optional.of(core), env), Clock.system());

        assertThat(peer.id()).as("the sample's peer.id").isEqualTo("jdoe");
        assertThat(peer.config().leaderMode()).as("the sample's orgLeader: true, useLeaderElection: false")
                .isEqualTo(LeaderMode.STATIC);
        assertThat(peer.config().tls().enabled()).isTrue();
        HttpResponse<String> status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + peer.operationsAddress().port() + "/status"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.body()).contains("\"jdoe\"").contains("Org1MSP");
        try (TlsDeliverClient client = new TlsDeliverClient(peer.grpcPort(), NODE.resolve("tls/ca.crt"),
                "peer0.org1.example.com", TlsDeliverClient.User.peerOrg("org1.example.com", "User1@org1.example.com",
                        "Org1MSP"))) {
            TlsDeliverClient.Stream stream = client.deliver("nochannel", 0, 0);
            await().atMost(Duration.ofSeconds(30)).until(() -> !stream.statuses.isEmpty() || stream.error.get() != null);
            assertThat(stream.error.get()).isNull();
            assertThat(stream.statuses).containsExactly(Status.NOT_FOUND);
        }

        List<String> warnings = logs.list.stream().filter(e -> e.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).toList();
        List<String> unmodelled = warnings.stream().filter(w -> w.startsWith(UNMODELLED)).toList();
        assertThat(unmodelled).hasSize(1);
        assertThat(unmodelled.get(0)).contains("peer.address,", "peer.tls.clientCert.file,", "peer.BCCSP.Default,",
                "peer.gossip.pvtData.pushAckTimeout,", "chaincode.mode,", "ledger.state.stateDatabase,",
                "ledger.snapshots.rootDir,", "metrics.provider,", "vm.endpoint]")
                .doesNotContain("peer.gossip.orgLeader", "peer.tls.enabled", "peer.listenAddress", "peer.mspConfigPath",
                        "operations.listenAddress", "operations.tls.cert.file", "peer.deliveryclient.connTimeout");
        assertThat(unmodelled.get(0)).as("listed once, though the file and CORE_PEER_ADDRESS both set it")
                .doesNotContain("CORE_PEER_ADDRESS");
        assertThat(warnings).contains("Environment variable CORE_PEER_GOSSIP_ORGLEADR matches no key of fabsim's "
                + "reference.conf nor of Fabric's core.yaml; it is ignored (check the spelling)");
    }

    @Test
    void aKeyThatIsNeitherFabricsNorFabsimsStopsTheStartNamingIt() throws Exception {
        String text = Files.readString(sample());
        assertThat(text).contains("        orgLeader: true\n");
        Path core = Files.writeString(dir.resolve("core.yaml"), text.replace("        orgLeader: true\n",
                "        orgLeadr: true\n"));

        assertThatThrownBy(() -> PeerNode.start(PeerNode.loadConfig(Optional.of(core), environment()), Clock.system()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("peer.gossip.orgLeadr: unknown key (value true): expected a key of fabsim's reference.conf "
                        + "or of Fabric's core.yaml (check the spelling)");
        assertThat(dir.resolve("production")).as("nothing opened").doesNotExist();
    }

    @Test
    void theShippedKeyListIsTheSampleCoreYamlsKeys() {
        FabricKeys sample = FabricKeys.fromYaml(sample(), "core.yaml", "CORE");

        assertThat(PeerNode.CORE_YAML.keys()).isEqualTo(sample.keys());
    }
}
