package io.fabsim.orderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabsim.common.config.ConfigException;
import io.fabsim.common.config.ConfigLoader;
import io.fabsim.common.config.HostPort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrdererConfigTest {

    @TempDir
    Path dir;

    @Test
    void defaultsFollowFabricsOrdererYaml() {
        OrdererConfig config = OrdererConfig.from(ConfigLoader.fromString(""));
        assertThat(config.listen()).isEqualTo(new HostPort("127.0.0.1", 7050));
        assertThat(config.timeWindow()).isEqualTo(Duration.ofMinutes(15));
        assertThat(config.tls().enabled()).isFalse();
        assertThat(config.operationsListen()).isEqualTo(new HostPort("127.0.0.1", 8443));
        assertThat(config.adminListen()).isEmpty();
        assertThat(config.follower().source()).isEmpty();
        assertThat(config.load().enabled()).isFalse();
        assertThat(config.ledger().fsync()).isTrue();
    }

    @Test
    void fileAndEnvironmentOverrideWithRelativePathsFromTheFile() throws Exception {
        Path file = dir.resolve("orderer.conf");
        Files.writeString(file, """
                General { ListenPort = 7050, LocalMSPDir = "crypto/msp", TLS.RootCAs = ["tls/ca.crt"] }
                orderer.load { enabled = true, rate = 50, txSize = 2 KiB }
                """);
        OrdererConfig config = OrdererConfig.from(ConfigLoader.load(Optional.of(file),
                Map.of("ORDERER_GENERAL_LISTENPORT", "7060", "FABSIM_ORDERER_FOLLOWER_SOURCE", "127.0.0.1:7050"),
                OrdererConfig.ENV_PREFIXES));
        assertThat(config.listen().port()).isEqualTo(7060);
        assertThat(config.localMspDir()).isEqualTo(dir.resolve("crypto/msp"));
        assertThat(config.tls().rootCAs()).containsExactly(dir.resolve("tls/ca.crt"));
        assertThat(config.load()).isEqualTo(new OrdererConfig.Load(true, 50, 2048, java.util.List.of(),
                OrdererConfig.LoadKind.MESSAGE, Map.of(), "basic"));
        assertThat(config.follower().source()).contains(new HostPort("127.0.0.1", 7050));
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(() -> OrdererConfig.from(ConfigLoader.fromString("General.ListenPort = 70000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("General.ListenPort").hasMessageContaining("70000");
        assertThatThrownBy(() -> OrdererConfig.from(ConfigLoader.fromString("General.Authentication.TimeWindow = 0s")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("General.Authentication.TimeWindow");
        assertThatThrownBy(() -> OrdererConfig.from(ConfigLoader.fromString("General.TLS.ClientAuthRequired = true")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("General.TLS.ClientAuthRequired");
        assertThatThrownBy(() -> OrdererConfig.from(ConfigLoader.fromString("General.ListenPortt = 1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("General.ListenPortt");
        assertThatThrownBy(() -> OrdererConfig.from(ConfigLoader.fromString("orderer.follower.source = \"nohost\"")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("orderer.follower.source");
        assertThatThrownBy(() -> OrdererConfig.from(ConfigLoader.fromString("orderer.load.kind = endorsement")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("orderer.load.kind")
                .hasMessageContaining("[message, endorser]");
        assertThatThrownBy(() -> OrdererConfig.from(ConfigLoader.fromString(
                "orderer.load { enabled = true, kind = endorser }")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("orderer.load.signers");
        assertThatThrownBy(() -> OrdererConfig.from(ConfigLoader.fromString(
                "orderer.load.signers { Org1MSP { client = a, endorser = b, peer = c } }")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("orderer.load.signers.\"Org1MSP\".peer");
    }
}
