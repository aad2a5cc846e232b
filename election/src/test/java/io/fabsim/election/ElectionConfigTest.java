package io.fabsim.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabsim.common.config.ConfigException;
import io.fabsim.common.config.ConfigLoader;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ElectionConfigTest {

    @Test
    void defaultsComeFromReferenceConf() {
        ElectionConfig c = ElectionConfig.from(ConfigLoader.defaults());
        assertThat(c.startupGracePeriod()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.membershipSampleInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.leaderAliveThreshold()).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.leaderElectionDuration()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.yieldCooldown()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.clusterName("Org1MSP")).isEqualTo("fabsim-election-Org1MSP");
        assertThat(c.jgroups().config()).isEmpty();
        assertThat(c.jgroups().bindAddress()).isEqualTo("127.0.0.1");
        assertThat(c.jgroups().bindPort()).isEqualTo(7800);
        assertThat(c.jgroups().initialHosts()).containsExactly("127.0.0.1[7800]");
    }

    @Test
    void fileValuesOverrideDefaults() {
        ElectionConfig c = ElectionConfig.from(ConfigLoader.fromString("""
                peer.gossip.election {
                  yieldCooldown = 5s
                  jgroups { bindAddress = "10.0.0.5", bindPort = 0, config = "stack.xml",
                            initialHosts = ["10.0.0.5[7800]", "host-b[7801]"] }
                }
                """));
        assertThat(c.yieldCooldown()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.jgroups().bindAddress()).isEqualTo("10.0.0.5");
        assertThat(c.jgroups().bindPort()).isZero();
        assertThat(c.jgroups().config()).isEqualTo(Optional.of(java.nio.file.Path.of("stack.xml").toAbsolutePath()));
        assertThat(c.jgroups().initialHosts()).isEqualTo(List.of("10.0.0.5[7800]", "host-b[7801]"));
    }

    @Test
    void fabricKeysHaveFabricsDefaultsAndJGroupsAlgorithmIsTheDefault() {
        FabricElectionConfig f = FabricElectionConfig.from(ConfigLoader.defaults());
        assertThat(f.startupGracePeriod()).isEqualTo(Duration.ofSeconds(15));
        assertThat(f.membershipSampleInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(f.leaderAliveThreshold()).isEqualTo(Duration.ofSeconds(10));
        assertThat(f.leaderElectionDuration()).isEqualTo(Duration.ofSeconds(5));
        assertThat(f.declarationInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(ElectionAlgorithm.from(ConfigLoader.defaults())).isEqualTo(ElectionAlgorithm.JGROUPS);
        assertThat(ElectionAlgorithm.from(ConfigLoader.fromString("peer.gossip.election.algorithm = fabric")))
                .isEqualTo(ElectionAlgorithm.FABRIC);
    }

    @Test
    void fabricKeysDoNotChangeTheJGroupsTimings() {
        var reader = ConfigLoader.fromString("""
                peer.gossip.election { leaderAliveThreshold = 2s, jgroups.leaderAliveThreshold = 900ms,
                  jgroups.startupGracePeriod = 1s }
                """);
        assertThat(FabricElectionConfig.from(reader).leaderAliveThreshold()).isEqualTo(Duration.ofSeconds(2));
        ElectionConfig c = ElectionConfig.from(reader);
        assertThat(c.leaderAliveThreshold()).isEqualTo(Duration.ofMillis(900));
        assertThat(c.startupGracePeriod()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void oldNamesStillSetTheJGroupsTimingsWhenTheNewOnesAreNot() {
        ElectionConfig c = ElectionConfig.from(ConfigLoader.fromString(
                "peer.gossip.election { startupGracePeriod = 4s, leaderElectionDuration = 700ms }"));
        assertThat(c.startupGracePeriod()).isEqualTo(Duration.ofSeconds(4));
        assertThat(c.leaderElectionDuration()).isEqualTo(Duration.ofMillis(700));
        assertThat(c.leaderAliveThreshold()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void badAlgorithmNamesKeyValueAndChoices() {
        assertThatThrownBy(() -> ElectionAlgorithm.from(ConfigLoader.fromString("peer.gossip.election.algorithm = raft")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("peer.gossip.election.algorithm")
                .hasMessageContaining("raft")
                .hasMessageContaining("fabric");
    }

    @Test
    void unknownKeyIsRejectedByName() {
        assertThatThrownBy(() -> ElectionConfig.from(ConfigLoader.fromString("peer.gossip.election.yieldCooldwn = 5s")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("peer.gossip.election.yieldCooldwn");
    }

    @Test
    void badValuesNameKeyValueAndExpectation() {
        assertThatThrownBy(() -> ElectionConfig.from(ConfigLoader.fromString(
                "peer.gossip.election.jgroups.initialHosts = [\"127.0.0.1:7800\"]")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("peer.gossip.election.jgroups.initialHosts")
                .hasMessageContaining("host[port]")
                .hasMessageContaining("127.0.0.1:7800");
        assertThatThrownBy(() -> ElectionConfig.from(ConfigLoader.fromString(
                "peer.gossip.election.jgroups.bindPort = 70000")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("bindPort")
                .hasMessageContaining("70000");
        assertThatThrownBy(() -> ElectionConfig.from(ConfigLoader.fromString(
                "peer.gossip.election.leaderAliveThreshold = 10ms")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("leaderAliveThreshold");
    }

    @Test
    void hangDetectionKeysAreReadAndCheckedAgainstTheFence() {
        ElectionConfig c = ElectionConfig.from(ConfigLoader.fromString(
                "peer.gossip.election.jgroups { hangTimeout = 1s, heartbeatInterval = 250ms, leaderAliveThreshold = 750ms }"));
        assertThat(c.jgroups().hangTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.jgroups().heartbeatInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(ElectionConfig.from(ConfigLoader.fromString("")).jgroups().hangTimeout())
                .isEqualTo(ElectionConfig.JGroups.DEFAULT_HANG_TIMEOUT);
        assertThatThrownBy(() -> ElectionConfig.from(ConfigLoader.fromString(
                "peer.gossip.election.jgroups { hangTimeout = 1s, heartbeatInterval = 1s }")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("peer.gossip.election.jgroups.heartbeatInterval")
                .hasMessageContaining("hangTimeout");
        // the default leaderAliveThreshold (1500ms) is above 1s less 250ms: a hang could go unfenced
        assertThatThrownBy(() -> ElectionConfig.from(ConfigLoader.fromString(
                "peer.gossip.election.jgroups { hangTimeout = 1s, heartbeatInterval = 250ms }")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("peer.gossip.election.jgroups.leaderAliveThreshold")
                .hasMessageContaining("PT0.75S")
                .hasMessageContaining("PT1.5S");
    }
}
