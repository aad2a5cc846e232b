package io.fabsim.gossip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabsim.common.config.ConfigException;
import io.fabsim.common.config.ConfigLoader;
import io.fabsim.common.config.HostPort;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class GossipConfigTest {

    @Test
    void defaultsFollowFabricExceptStateTransferOn() {
        GossipConfig config = GossipConfig.from(ConfigLoader.defaults());
        assertThat(config.propagatePeerNum()).isEqualTo(3);
        assertThat(config.bootstrap()).isEmpty();
        assertThat(config.endpoint()).isEmpty();
        assertThat(config.state().enabled()).isTrue();
        assertThat(config.state().batchSize()).isEqualTo(10);
        assertThat(config.state().blockBufferSize()).isEqualTo(20);
        assertThat(config.state().maxRetries()).isEqualTo(3);
        assertThat(config.state().responseTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.sendBuffSize()).isEqualTo(200);
    }

    @Test
    void readsOverridesAndFabricStyleBootstrapString() {
        GossipConfig config = GossipConfig.from(ConfigLoader.fromString("""
                peer.gossip { bootstrap = "127.0.0.1:7051 127.0.0.1:8051,peer2:9051", endpoint = "0.0.0.0:0"
                  propagatePeerNum = 2, state { batchSize = 5, checkInterval = 150ms }
                  useLeaderElection = true, orgLeader = false, election { leaderAliveThreshold = 10s } }
                """));
        assertThat(config.bootstrap()).containsExactly(new HostPort("127.0.0.1", 7051), new HostPort("127.0.0.1", 8051),
                new HostPort("peer2", 9051));
        assertThat(config.endpoint()).contains(new HostPort("0.0.0.0", 0));
        assertThat(config.propagatePeerNum()).isEqualTo(2);
        assertThat(config.state().batchSize()).isEqualTo(5);
        assertThat(config.state().checkInterval()).isEqualTo(Duration.ofMillis(150));
        assertThat(GossipConfig.from(ConfigLoader.fromString("peer.gossip.bootstrap = [\"a:1\", \"b:2\"]")).bootstrap())
                .isEqualTo(List.of(new HostPort("a", 1), new HostPort("b", 2)));
    }

    @Test
    void fabricKeysHaveFabricsDefaultsAndTheFabricExactProfileTurnsFabsimsOwnBehaviourOff() {
        GossipConfig fabsim = GossipConfig.from(ConfigLoader.defaults());
        assertThat(fabsim.profile()).isEqualTo(GossipConfig.Profile.FABSIM);
        assertThat(fabsim.aliveTimeInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(fabsim.aliveExpirationTimeout()).isEqualTo(Duration.ofSeconds(25));
        assertThat(fabsim.publishCertPeriod()).isEqualTo(Duration.ofSeconds(10));
        assertThat(fabsim.maxBlockCountToStore()).isEqualTo(10);
        assertThat(fabsim.reconnectInterval()).as("fabsim's re-dial").isEqualTo(Duration.ofSeconds(1));
        assertThat(fabsim.state().lagTimeout()).contains(Duration.ofMillis(300));

        GossipConfig exact = GossipConfig.from(ConfigLoader.fromString("peer.gossip.fabsim.profile = fabric-exact"));
        assertThat(exact.profile()).isEqualTo(GossipConfig.Profile.FABRIC_EXACT);
        assertThat(exact.reconnectInterval()).as("Fabric's reconnectInterval").isEqualTo(Duration.ofSeconds(25));
        assertThat(exact.state().lagTimeout()).isEmpty();
        assertThat(exact.state().enabled()).isFalse();
        assertThat(exact.state().checkInterval()).isEqualTo(Duration.ofSeconds(10));
        GossipConfig exactWithState = GossipConfig.from(ConfigLoader.fromString(
                "peer.gossip { fabsim.profile = fabric-exact, state.enabled = true }"));
        assertThat(exactWithState.state().enabled()).as("set by the process's configuration").isTrue();
    }

    @Test
    void thePreviousReleasesNamesAreStillReadWithTheirOldMeaning() {
        GossipConfig old = GossipConfig.from(ConfigLoader.fromString(
                "peer.gossip { reconnectInterval = 200ms, state.lagTimeout = 50ms }"));
        assertThat(old.reconnectInterval()).isEqualTo(Duration.ofMillis(200));
        assertThat(old.state().lagTimeout()).contains(Duration.ofMillis(50));
        GossipConfig both = GossipConfig.from(ConfigLoader.fromString(
                "peer.gossip { reconnectInterval = 30s, fabsim.reconnectInterval = 100ms }"));
        assertThat(both.reconnectInterval()).isEqualTo(Duration.ofMillis(100));
        assertThatThrownBy(() -> GossipConfig.from(ConfigLoader.fromString("peer.gossip.fabsim.profile = exact")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("peer.gossip.fabsim.profile")
                .hasMessageContaining("fabric-exact");
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(() -> GossipConfig.from(ConfigLoader.fromString("peer.gossip.propagatePeerNum = 0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("peer.gossip.propagatePeerNum")
                .hasMessageContaining("got 0");
        assertThatThrownBy(() -> GossipConfig.from(ConfigLoader.fromString("peer.gossip.state.batchSiz = 4")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("peer.gossip.state.batchSiz");
        assertThatThrownBy(() -> GossipConfig.from(ConfigLoader.fromString("peer.gossip.bootstrap = \"nope\"")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("peer.gossip.bootstrap");
    }
}
