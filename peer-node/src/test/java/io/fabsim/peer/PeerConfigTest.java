package io.fabsim.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabsim.common.config.ConfigException;
import io.fabsim.common.config.ConfigLoader;
import io.fabsim.common.config.HostPort;
import io.fabsim.common.time.Clock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeerConfigTest {

    @TempDir
    Path dir;

    @Test
    void defaultsAreFabricsAndPathsAreAbsolute() {
        PeerConfig config = PeerConfig.from(ConfigLoader.defaults());

        assertThat(config.leaderMode()).isEqualTo(LeaderMode.ELECTED);
        assertThat(config.operationsListenAddress()).isEqualTo(new HostPort("127.0.0.1", 9443));
        assertThat(config.fileSystemPath()).isAbsolute();
        assertThat(config.tls().enabled()).isFalse();
    }

    @Test
    void theModeFollowsTheTwoFlagsAndBothIsRefusedWithFabricsMessage() {
        assertThat(mode("true", "false")).isInstanceOf(LeaderMode.Elected.class);
        assertThat(mode("false", "true")).isInstanceOf(LeaderMode.Static.class);
        assertThat(mode("false", "false")).isInstanceOf(LeaderMode.None.class);
        assertThatThrownBy(() -> mode("true", "true")).isInstanceOf(PeerStartRefusedException.class)
                .hasMessage("Setting both orgLeader and useLeaderElection to true isn't supported, aborting execution");
    }

    private static LeaderMode mode(String election, String orgLeader) {
        return PeerConfig.from(ConfigLoader.fromString("peer.gossip.useLeaderElection = " + election
                + "\npeer.gossip.orgLeader = " + orgLeader)).leaderMode();
    }

    @Test
    void environmentVariablesWithPrefixCoreOverrideTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("peer.conf"), "peer.gossip.orgLeader = false\npeer.fileSystemPath = data\n");

        PeerConfig config = PeerConfig.from(ConfigLoader.load(Optional.of(file),
                Map.of("CORE_PEER_GOSSIP_ORGLEADER", "true", "CORE_PEER_GOSSIP_USELEADERELECTION", "false"),
                List.of("CORE")));

        assertThat(config.leaderMode()).isEqualTo(LeaderMode.STATIC);
        assertThat(config.fileSystemPath()).isEqualTo(dir.resolve("data"));
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(() -> PeerConfig.from(ConfigLoader.fromString("peer.tls.clientAuthRequired = true")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("peer.tls.clientAuthRequired:");
        assertThatThrownBy(() -> PeerConfig.from(ConfigLoader.fromString("peer.id = \"peer 0\"")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("peer.id").hasMessageContaining("\"peer 0\"");
        assertThatThrownBy(() -> PeerConfig.from(ConfigLoader.fromString("peer.listenAdress = \"127.0.0.1:1\"")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("peer.listenAdress: unknown key");
        assertThatThrownBy(() -> PeerConfig.from(ConfigLoader.fromString("operations.listenAddress = nowhere")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("operations.listenAddress:");
    }

    @Test
    void aMissingMspFolderIsAConfigErrorBeforeAnythingIsOpened() {
        Path ledgers = dir.resolve("ledgers");
        assertThatThrownBy(() -> PeerNode.start(ConfigLoader.fromString("""
                peer.mspConfigPath = "%s"
                peer.fileSystemPath = "%s"
                peer.gossip.useLeaderElection = false
                """.formatted(dir.resolve("no-msp"), ledgers)), Clock.system()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("peer.mspConfigPath:");
        assertThat(ledgers).doesNotExist();
    }
}
