package io.fabsim.deliver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabsim.common.config.ConfigException;
import io.fabsim.common.config.ConfigLoader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeliverClientConfigTest {

    @Test
    void referenceConfHoldsFabricsDefaults() {
        assertThat(DeliverClientConfig.from(ConfigLoader.defaults())).isEqualTo(DeliverClientConfig.defaults());
        DeliverClientConfig d = DeliverClientConfig.defaults();
        assertThat(d.reConnectBackoffThreshold()).isEqualTo(Duration.ofSeconds(3600));
        assertThat(d.reconnectTotalTimeThreshold()).isEqualTo(Duration.ofSeconds(3600));
        assertThat(d.connTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(d.minimalReconnectInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(d.reconnectBackoffBase()).isEqualTo(1.2);
        assertThat(d.blockGossipEnabled()).isTrue();
    }

    @Test
    void readsFabricKeyNamesIncludingFromTheEnvironment() {
        DeliverClientConfig c = DeliverClientConfig.from(ConfigLoader.fromString(
                "peer.deliveryclient { reConnectBackoffThreshold = 25s, reconnectTotalTimeThreshold = 20s, connTimeout = 10s,"
                        + " blockGossipEnabled = false }\npeer.keepalive.deliveryClient { interval = 5s, timeout = 2s }"));
        assertThat(c.reConnectBackoffThreshold()).isEqualTo(Duration.ofSeconds(25));
        assertThat(c.reconnectTotalTimeThreshold()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.connTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.blockGossipEnabled()).isFalse();
        assertThat(c.keepaliveInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.keepaliveTimeout()).isEqualTo(Duration.ofSeconds(2));

        DeliverClientConfig env = DeliverClientConfig.from(ConfigLoader.load(Optional.empty(),
                Map.of("CORE_PEER_DELIVERYCLIENT_CONNTIMEOUT", "7s"), List.of("CORE")));
        assertThat(env.connTimeout()).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void aBadValueNamesTheKeyTheValueAndWhatWasExpected() {
        assertThatThrownBy(() -> DeliverClientConfig.from(ConfigLoader.fromString("peer.deliveryclient.connTimeout = banana")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("peer.deliveryclient.connTimeout").hasMessageContaining("banana").hasMessageContaining("duration");
        assertThatThrownBy(() -> DeliverClientConfig.from(ConfigLoader.fromString("peer.deliveryclient.reconnectBackoffBase = 0.5")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("reconnectBackoffBase").hasMessageContaining("0.5");
        assertThatThrownBy(() -> DeliverClientConfig.from(ConfigLoader.fromString(
                "peer.deliveryclient { minimalReconnectInterval = 2s, reConnectBackoffThreshold = 1s }")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("peer.deliveryclient.reConnectBackoffThreshold");
    }

    @Test
    void readsAddressOverridesWithTheirCaFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path ca = dir.resolve("ca.pem");
        java.nio.file.Files.writeString(ca, "PEM");
        DeliverClientConfig c = DeliverClientConfig.from(ConfigLoader.fromString(
                "peer.deliveryclient.addressOverrides = [ { from = \"orderer:7050\", to = \"127.0.0.1:7050\", caCertsFile = \""
                        + ca.toString().replace("\\", "/") + "\" }, { from = \"a:1\", to = \"b:2\" } ]"));
        assertThat(c.addressOverrides()).containsExactly(
                new AddressOverride("orderer:7050", "127.0.0.1:7050", List.of(com.google.protobuf.ByteString.copyFromUtf8("PEM"))),
                new AddressOverride("a:1", "b:2", List.of()));

        assertThatThrownBy(() -> DeliverClientConfig.from(ConfigLoader.fromString(
                "peer.deliveryclient.addressOverrides = [ { from = \"a:1\", to = \"b:2\", caCertsFile = \"/no/such.pem\" } ]")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("addressOverrides[0].caCertsFile")
                .hasMessageContaining("/no/such.pem");
        assertThatThrownBy(() -> DeliverClientConfig.from(ConfigLoader.fromString(
                "peer.deliveryclient.addressOverrides = [ { from = \"a:1\", too = \"b:2\" } ]")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("addressOverrides[0].too");
    }

    @Test
    void aMisspeltKeyIsRejected() {
        assertThatThrownBy(() -> DeliverClientConfig.from(ConfigLoader.fromString("peer.deliveryclient.reconnectBackoffThreshold = 5s")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("peer.deliveryclient.reconnectBackoffThreshold")
                .hasMessageContaining("unknown key");
    }
}
