package io.fabsim.cli.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabsim.common.config.ConfigException;
import io.fabsim.election.ElectionAlgorithm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
                .hasMessage("network.orgs[0].peers[0].mode: expected one of [election, static, raw, none], got \"leader\"");
    }

    @Test
    void anOrgCanElectWithFabricsAlgorithmAndItsPeersAreConfiguredSo(@TempDir Path dir) throws Exception {
        NetworkSpec jgroups = NetworkSpec.fromString(minimal("mode = election"));
        assertThat(jgroups.orgs().get(0).electionAlgorithm()).isEqualTo(ElectionAlgorithm.JGROUPS);
        NetworkSpec spec = NetworkSpec.fromString(minimal("mode = election").replace("domain = a.example.com,",
                "domain = a.example.com, electionAlgorithm = fabric,").replace("{ name = p0, mode = election }",
                "{ name = p0, mode = election }, { name = p1 }"));
        assertThat(spec.orgs().get(0).electionAlgorithm()).isEqualTo(ElectionAlgorithm.FABRIC);
        NetworkPlan plan = NetworkPlan.of(spec, dir);
        String conf = Files.readString(NetworkFiles.writePeerConfig(plan, plan.peers().get(0),
                NetworkBuilder.Options.defaults()));
        assertThat(conf).contains("election.algorithm = fabric")
                .contains("bootstrap = [\"127.0.0.1:" + plan.peers().get(1).grpcPort() + "\"]");
        assertThatThrownBy(() -> NetworkSpec.fromString(minimal("mode = election").replace("domain = a.example.com,",
                "domain = a.example.com, electionAlgorithm = paxos,")))
                .hasMessage("network.orgs[0].electionAlgorithm: expected one of [jgroups, fabric], got \"paxos\"");
    }

    @Test
    void aRawPeerStreamsFromTheOrdererWithGossipOff(@TempDir Path dir) throws Exception {
        NetworkSpec spec = NetworkSpec.fromString(minimal("mode = raw").replace("{ name = p0, mode = raw }",
                "{ name = p0, mode = raw }, { name = p1, mode = raw }"));
        assertThat(spec.orgs().get(0).peers().get(0).mode()).isEqualTo(NetworkSpec.Mode.RAW);
        NetworkPlan plan = NetworkPlan.of(spec, dir);
        com.typesafe.config.Config peer = com.typesafe.config.ConfigFactory.parseFile(NetworkFiles.writePeerConfig(plan,
                plan.peers().get(0), NetworkBuilder.Options.defaults()).toFile());
        assertThat(peer.getBoolean("peer.gossip.orgLeader")).isTrue();
        assertThat(peer.getBoolean("peer.gossip.useLeaderElection")).isFalse();
        assertThat(peer.getStringList("peer.gossip.bootstrap")).isEmpty();
        assertThat(peer.getBoolean("peer.gossip.state.enabled")).isFalse();
        assertThat(peer.getBoolean("peer.deliveryclient.blockGossipEnabled")).isFalse();
        NetworkPlan staticPlan = NetworkPlan.of(NetworkSpec.fromString(minimal("mode = static")), dir.resolve("static"));
        com.typesafe.config.Config leader = com.typesafe.config.ConfigFactory.parseFile(NetworkFiles.writePeerConfig(
                staticPlan, staticPlan.peers().get(0), NetworkBuilder.Options.defaults()).toFile());
        assertThat(leader.getBoolean("peer.gossip.orgLeader")).isTrue();
        assertThat(leader.hasPath("peer.deliveryclient.blockGossipEnabled")).isFalse();
        assertThat(leader.hasPath("peer.gossip.state.enabled")).isFalse();
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

    @Test
    void anUnknownKeyInAnEntryNamesTheEntryTheKeyAndItsValue() {
        // Scenario: a peer entry asks for an implementation fabsim's launcher does not know, and an
        // orderer, an org and a channel entry carry a misspelt key.
        // Expected: each is refused, naming the entry's path, the key, the value and the keys it may have.
        assertThatThrownBy(() -> NetworkSpec.fromString(minimal("mode = election, implementation = fabric")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("network.orgs[0].peers[0].implementation: unknown key (value \"fabric\"): expected only [name, mode]");
        assertThatThrownBy(() -> NetworkSpec.fromString(minimal("mode = election")
                .replace("{ name = o0 }", "{ name = o0, folowerOf = o1 }")))
                .hasMessageStartingWith("network.orderers[0].folowerOf: unknown key");
        assertThatThrownBy(() -> NetworkSpec.fromString(minimal("mode = election")
                .replace("domain = a.example.com,", "domain = a.example.com, site = eu,")))
                .hasMessageStartingWith("network.orgs[0].site: unknown key");
        assertThatThrownBy(() -> NetworkSpec.fromString(minimal("mode = election")
                .replace("{ name = ch, orgs = [A] }", "{ name = ch, org = [A] }")))
                .hasMessageStartingWith("network.channels[0].org: unknown key");
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
