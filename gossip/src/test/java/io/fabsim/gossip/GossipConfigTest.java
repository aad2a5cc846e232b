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
