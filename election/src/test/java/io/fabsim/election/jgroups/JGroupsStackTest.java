package io.fabsim.election.jgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabsim.election.ElectionConfig;
import io.fabsim.election.ElectionException;
import io.fabsim.election.ElectionIdentity;
import io.fabsim.common.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jgroups.JChannel;
import org.jgroups.protocols.FD_ALL3;
import org.jgroups.protocols.FD_SOCK2;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.TCPPING;
import org.jgroups.protocols.VERIFY_SUSPECT2;
import org.junit.jupiter.api.Test;

class JGroupsStackTest {

    @Test
    void placeholdersAreReplacedPerInstanceWithDefaultsAsFallback() {
        String xml = "<TCP bind_addr=\"${fabsim.bind_addr:1.2.3.4}\" bind_port=\"${fabsim.bind_port:7800}\""
                + " x=\"${jgroups.other:keep}\"/>";
        assertThat(JGroupsStack.substitute(xml, Map.of("bind_addr", "10.0.0.1"), "test"))
                .isEqualTo("<TCP bind_addr=\"10.0.0.1\" bind_port=\"7800\" x=\"${jgroups.other:keep}\"/>");
        assertThatThrownBy(() -> JGroupsStack.substitute("${fabsim.nothing}", Map.of(), "stack.xml"))
                .isInstanceOf(ElectionException.class)
                .hasMessageContaining("stack.xml")
                .hasMessageContaining("fabsim.nothing");
    }

    @Test
    void bundledStackGetsTheConfiguredAddressPortAndHosts() throws Exception {
        ElectionConfig.JGroups settings = new ElectionConfig.JGroups(Optional.empty(), "127.0.0.1", 7912,
                List.of("127.0.0.1[7912]", "127.0.0.1[7913]"));
        try (JChannel ch = JGroupsStack.channel(settings, new ElectionIdentity("Org1MSP", "peer0", Map.of()))) {
            TCP tcp = ch.getProtocolStack().findProtocol(TCP.class);
            assertThat(tcp.getBindAddress().getHostAddress()).isEqualTo("127.0.0.1");
            assertThat(tcp.getBindPort()).isEqualTo(7912);
            assertThat(tcp.getPortRange()).isZero();
            TCPPING ping = ch.getProtocolStack().findProtocol(TCPPING.class);
            assertThat(ping.getInitialHosts()).hasSize(2);
            FD_SOCK2 fdSock = ch.getProtocolStack().findProtocol(FD_SOCK2.class);
            assertThat(fdSock.getBindAddress().getHostAddress()).isEqualTo("127.0.0.1");
            assertThat(ch.getProtocolStack().<FD_ALL3>findProtocol(FD_ALL3.class).getTimeout()).isEqualTo(3000);
            assertThat(ch.getProtocolStack().<VERIFY_SUSPECT2>findProtocol(VERIFY_SUSPECT2.class).getTimeout())
                    .isEqualTo(100);
        }
    }

    @Test
    void bundledStackTakesTheHangDetectionSettings() throws Exception {
        ElectionConfig.JGroups settings = new ElectionConfig.JGroups(Optional.empty(), "127.0.0.1", 0,
                List.of("127.0.0.1[7]"), Duration.ofMillis(1200), Duration.ofMillis(300));
        try (JChannel ch = JGroupsStack.channel(settings, new ElectionIdentity("Org1MSP", "peer0", Map.of()))) {
            FD_ALL3 fd = ch.getProtocolStack().findProtocol(FD_ALL3.class);
            assertThat(fd.getTimeout()).isEqualTo(1200);
            assertThat(fd.getInterval()).isEqualTo(300);
            assertThat(ch.getProtocolStack().<ProbingVerifySuspect>findProtocol(ProbingVerifySuspect.class)).isNotNull();
        }
    }

    @Test
    void missingStackFileIsReportedWithItsKey() {
        ElectionConfig.JGroups settings = new ElectionConfig.JGroups(
                Optional.of(java.nio.file.Path.of("no-such-stack.xml")), "127.0.0.1", 0, List.of());
        assertThatThrownBy(() -> JGroupsStack.channel(settings, new ElectionIdentity("Org1MSP", "peer0", Map.of())))
                .isInstanceOf(ElectionException.class)
                .hasMessageContaining("peer.gossip.election.jgroups.config")
                .hasMessageContaining("no-such-stack.xml");
    }

    @Test
    void bundledStackRunsWithAFreePort() {
        // Scenario: one peer on the bundled stack with bindPort 0 (any free port), no other host.
        // Expected: it starts, leads its channel after the start-up wait, and closes cleanly.
        ElectionConfig config = new ElectionConfig(Duration.ofSeconds(1), Duration.ofMillis(200),
                Duration.ofSeconds(2), Duration.ofMillis(300), Duration.ofSeconds(30), "fabsim-stack-test-",
                new ElectionConfig.JGroups(Optional.empty(), "127.0.0.1", 0, List.of("127.0.0.1[7]")));
        try (JGroupsLeaderElection e = JGroupsLeaderElection.create(config,
                new ElectionIdentity("Solo" + ProcessHandle.current().pid() + "MSP", "solo", Map.of()),
                Clock.system())) {
            e.start();
            e.join("ch", true, (channel, isLeader) -> { });
            await().atMost(Duration.ofSeconds(20)).until(() -> e.isLeader("ch"));
            assertThat(e.leaderOf("ch")).contains("solo");
            TCP tcp = e.jgroupsChannel().getProtocolStack().findProtocol(TCP.class);
            assertThat(tcp.getBindPort()).isPositive();
        }
    }
}
