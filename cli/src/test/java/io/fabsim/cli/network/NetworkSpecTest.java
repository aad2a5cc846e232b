package io.fabsim.cli.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabsim.common.config.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class NetworkSpecTest {

    @Test
    void theDemoNetworkParses() {
        NetworkSpec spec = NetworkSpec.load(projectRoot().resolve("conf/network.conf"));
        assertThat(spec.orgs()).extracting(NetworkSpec.Org::mspId).containsExactly("Org1MSP", "Org2MSP");
        assertThat(spec.orgs().get(0).peers()).hasSize(3).allMatch(p -> p.mode() == NetworkSpec.Mode.ELECTION);
        assertThat(spec.orderers()).extracting(NetworkSpec.Orderer::name).containsExactly("orderer0", "orderer1");
        assertThat(spec.orderers().get(1).followerOf()).contains("orderer0");
        assertThat(spec.channels()).extracting(NetworkSpec.Channel::name).containsExactly("ch1", "ch2");
        assertThat(spec.batchTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(spec.orgs().get(0).shortName()).isEqualTo("org1");
    }

    @Test
    void aBadModeNamesTheKeyAndTheChoices() {
        assertThatThrownBy(() -> NetworkSpec.fromString(minimal("mode = leader")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("network.orgs[0].peers[0].mode: expected one of [election, static, none], got \"leader\"");
    }

    @Test
    void aFollowerOfAnUnknownOrdererIsRefused() {
        String hocon = minimal("mode = election").replace("{ name = o0 }", "{ name = o0 }, { name = o1, followerOf = nope }");
        assertThatThrownBy(() -> NetworkSpec.fromString(hocon))
                .hasMessageStartingWith("network.orderers[1].followerOf: expected the name of another orderer");
    }

    @Test
    void aChannelOfAnUnknownOrgIsRefused() {
        String hocon = minimal("mode = static").replace("orgs = [A]", "orgs = [B]");
        assertThatThrownBy(() -> NetworkSpec.fromString(hocon))
                .hasMessage("network.channels[0].orgs: expected names of orgs [A], got \"B\"");
    }

    @Test
    void anUnknownKeyIsReported() {
        assertThatThrownBy(() -> NetworkSpec.fromString(minimal("mode = none") + "\nnetwork.bacth.timeout = 1s"))
                .hasMessageStartingWith("network.bacth.timeout: unknown key");
    }

    private static String minimal(String mode) {
        return """
                network {
                  orderers = [ { name = o0 } ]
                  orgs = [ { name = A, mspId = AMSP, domain = a.example.com, peers = [ { name = p0, %s } ] } ]
                  channels = [ { name = ch, orgs = [A] } ]
                }
                """.formatted(mode);
    }

    static Path projectRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (p.resolve("conf/network.conf").toFile().exists()) {
                return p;
            }
        }
        throw new IllegalStateException("project root not found");
    }
}
