package io.fabsim.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading a file and the environment against a reference and a Fabric key list (core.yaml-like). */
class FabricKeysLoadingTest {

    private static final Config REFERENCE = ConfigFactory.parseString("""
            peer {
              id = peer0
              tls { enabled = false, cert.file = "tls/server.crt", clientRootCAs.files = [] }
              gossip { orgLeader = false, bootstrap = [], pullInterval = 4s, endpoint = "" }
              deliveryclient.reConnectBackoffThreshold = 3600s
            }
            operations.listenAddress = "127.0.0.1:9443"
            Operations.ListenAddress = "127.0.0.1:8443"
            """);

    private static final FabricKeys FABRIC = FabricKeys.of("core.yaml", "CORE", List.of("peer.id", "peer.address",
            "peer.tls.enabled", "peer.tls.cert.file", "peer.tls.clientCert.file", "peer.tls.clientRootCAs.files",
            "peer.gossip.orgLeader", "peer.gossip.endpoint", "peer.gossip.pullInterval", "peer.BCCSP.Default",
            "vm.docker.hostConfig", "ledger.blockchain"));

    @TempDir
    Path dir;

    private ConfigReader load(String name, String text, Map<String, String> env) throws Exception {
        Path file = Files.writeString(dir.resolve(name), text);
        return ConfigLoader.load(REFERENCE, Optional.of(file), env, List.of("CORE", "FABSIM"), Optional.of(FABRIC));
    }

    @Test
    void aYamlFileIsReadWithFabricsMeaningAndItsUnmodelledKeysAreListedOnce() throws Exception {
        ConfigReader reader = load("core.yaml", """
                peer:
                    id: jdoe
                    address: 0.0.0.0:7051
                    TLS:
                        Enabled: true
                        clientCert:
                            file:
                        clientRootCAs:
                            files:
                              - tls/ca.crt
                    gossip:
                        orgLeader: true
                        endpoint:
                        pullInterval: 1m30s
                    deliveryclient:
                        reConnectBackoffThreshold: 100ms
                    BCCSP:
                        Default: SW
                vm:
                    docker:
                        hostConfig:
                            LogConfig:
                                Type: json-file
                                Config:
                                    max-size: "50m"
                ledger:
                  blockchain:
                """, Map.of());

        assertThat(reader.string("peer.id")).isEqualTo("jdoe");
        assertThat(reader.bool("peer.tls.enabled")).as("keys match without regard to case, as in Fabric").isTrue();
        assertThat(reader.bool("peer.gossip.orgLeader")).isTrue();
        assertThat(reader.string("peer.gossip.endpoint")).as("an empty value leaves the default").isEmpty();
        assertThat(reader.duration("peer.gossip.pullInterval", Duration.ZERO, Duration.ofHours(1)))
                .as("Go's duration syntax").isEqualTo(Duration.ofSeconds(90));
        assertThat(reader.duration("peer.deliveryclient.reConnectBackoffThreshold", Duration.ZERO, Duration.ofHours(2)))
                .isEqualTo(Duration.ofMillis(100));
        assertThat(reader.paths("peer.tls.clientRootCAs.files")).containsExactly(dir.resolve("tls/ca.crt"));
        assertThat(reader.has("peer.address")).as("an unmodelled key is not passed on").isFalse();
        assertThat(reader.warnings()).containsExactly("Keys of Fabric's core.yaml that fabsim does not model, ignored: "
                + "[ledger.blockchain, peer.BCCSP.Default, peer.TLS.clientCert.file, peer.address, "
                + "vm.docker.hostConfig.LogConfig.Config.max-size, vm.docker.hostConfig.LogConfig.Type]");
    }

    @Test
    void aKeyInNeitherListIsAnErrorNamingKeyValueAndExpectation() {
        assertThatThrownBy(() -> load("core.yaml", "peer:\n    gossip:\n        orgLeadr: true\n        pullIntervl: 2s\n",
                Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("peer.gossip.orgLeadr: unknown key (value true): expected a key of fabsim's reference.conf "
                        + "or of Fabric's core.yaml (check the spelling); other unknown keys: "
                        + "[peer.gossip.orgLeadr, peer.gossip.pullIntervl]");
    }

    @Test
    void aHoconFileIsSortedTheSameWay() throws Exception {
        ConfigReader reader = load("peer.conf", "peer.tls.clientCert.file = \"tls/client.crt\"\npeer.id = p1\n", Map.of());

        assertThat(reader.string("peer.id")).isEqualTo("p1");
        assertThat(reader.warnings()).containsExactly(
                "Keys of Fabric's core.yaml that fabsim does not model, ignored: [peer.tls.clientCert.file]");
        assertThatThrownBy(() -> load("bad.conf", "peer.tls.clientCrt.file = x\n", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("peer.tls.clientCrt.file: unknown key (value \"x\")");
    }

    @Test
    void environmentVariablesThatMatchNoKeyAreReportedAndFabricsOwnAreListedAsUnmodelled() throws Exception {
        ConfigReader reader = load("peer.conf", "peer.id = p1\n", Map.of(
                "CORE_PEER_GOSSIP_ORGLEADER", "true",
                "CORE_PEER_GOSSIP_ORGLEADR", "true",
                "CORE_PEER_TLS_CLIENTCERT_FILE", "tls/client.crt",
                "CORE_PEER_TLS_CLIENTROOTCAS_FILES", "a.crt b.crt",
                "FABSIM_PEER_IDD", "x",
                "FABSIM_JAVA_OPTS", "-Xmx1g",
                "OTHER_PEER_ID", "ignored: not one of the prefixes",
                "CORE_OPERATIONS_LISTENADDRESS", "127.0.0.1:1"));

        assertThat(reader.bool("peer.gossip.orgLeader")).isTrue();
        assertThat(List.of(reader.string("operations.listenAddress"), reader.string("Operations.ListenAddress")))
                .as("every key of the variable's name").containsOnly("127.0.0.1:1");
        assertThat(reader.strings("peer.tls.clientRootCAs.files")).as("a list given as one value, as viper splits it")
                .containsExactly("a.crt", "b.crt");
        assertThat(reader.warnings()).containsExactly(
                "Keys of Fabric's core.yaml that fabsim does not model, ignored: "
                        + "[peer.tls.clientCert.file (CORE_PEER_TLS_CLIENTCERT_FILE)]",
                "Environment variable CORE_PEER_GOSSIP_ORGLEADR matches no key of fabsim's reference.conf nor of "
                        + "Fabric's core.yaml; it is ignored (check the spelling)",
                "Environment variable FABSIM_PEER_IDD matches no key of fabsim's reference.conf nor of "
                        + "Fabric's core.yaml; it is ignored (check the spelling)");
    }

    @Test
    void withoutFabricKeysNothingIsSortedOrReported() throws Exception {
        Path file = Files.writeString(dir.resolve("tool.conf"), "anything.goes = 1\n");
        ConfigReader reader = ConfigLoader.load(REFERENCE, Optional.of(file), Map.of("CORE_NOTHING", "x"), List.of("CORE"));

        assertThat(reader.has("anything.goes")).isTrue();
        assertThat(reader.warnings()).isEmpty();
    }
}
