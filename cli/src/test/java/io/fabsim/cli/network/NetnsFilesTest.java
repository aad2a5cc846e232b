package io.fabsim.cli.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What netns mode changes in the files a network is started from, and in network.json. */
class NetnsFilesTest {

    @TempDir
    Path dir;

    private static final String NETWORK = """
            network {
              netns = true
              orderers = [ { name = orderer0 } ]
              orgs = [ { name = Org1, mspId = Org1MSP, domain = org1.example.com
                         peers = [ { name = peer0 }, { name = peer1 } ] } ]
              channels = [ { name = ch1 } ]
            }
            """;

    private NetworkPlan plan() throws Exception {
        NetworkSpec spec = NetworkSpec.fromString(NETWORK);
        NetworkPlan plain = NetworkPlan.of(spec, dir);
        return plain.withNetns(NetnsLayout.of(42, plain.peerNames()));
    }

    @Test
    void theOptionIsReadAndOffByDefault() {
        assertThat(NetworkSpec.fromString(NETWORK).netns()).isTrue();
        assertThat(NetworkSpec.fromString(NETWORK.replace("netns = true", "")).netns()).isFalse();
        assertThat(NetworkSpec.fromString(NETWORK).withNetns(false).netns()).isFalse();
    }

    @Test
    void peersBindTheirOwnAddressAndOrderersTheBridge() throws Exception {
        NetworkPlan plan = plan();
        NetworkPlan.PeerNode peer1 = plan.peers().get(1);
        NetworkPlan.OrdererNode orderer = plan.orderers().get(0);

        String peerConf = Files.readString(NetworkFiles.writePeerConfig(plan, peer1, NetworkBuilder.Options.defaults()));
        String ordererConf = Files.readString(NetworkFiles.writeOrdererConfig(plan, orderer));

        String own = "10.213.42.11";
        assertThat(peerConf).contains("listenAddress = \"" + own + ":" + peer1.grpcPort() + "\"")
                .contains("endpoint = \"" + own + ":" + peer1.grpcPort() + "\"")
                .contains("bindAddress = \"" + own + "\"")
                .contains("\"10.213.42.10[" + plan.peers().get(0).electionPort() + "]\"")
                .contains("\"" + own + "[" + peer1.electionPort() + "]\"")
                .contains("bootstrap = [\"10.213.42.10:" + plan.peers().get(0).grpcPort() + "\"]")
                .contains("operations.listenAddress = \"" + own + ":" + peer1.operationsPort() + "\"")
                .doesNotContain("127.0.0.1");
        assertThat(ordererConf).contains("ListenAddress = \"10.213.42.1\"")
                .contains("Operations.ListenAddress = \"10.213.42.1:" + orderer.operationsPort() + "\"");
        assertThat(plan.ordererAddresses()).containsExactly("10.213.42.1:" + orderer.grpcPort());
    }

    @Test
    void everyCertificateNamesItsNodesAddress() throws Exception {
        String crypto = Files.readString(NetworkFiles.writeCryptoConfig(plan()));

        assertThat(crypto).contains("Hostname = \"orderer0\", SANS = [\"localhost\", \"127.0.0.1\", \"10.213.42.1\"]")
                .contains("Hostname = \"peer0\", SANS = [\"localhost\", \"127.0.0.1\", \"10.213.42.10\"]")
                .contains("Hostname = \"peer1\", SANS = [\"localhost\", \"127.0.0.1\", \"10.213.42.11\"]");
    }

    @Test
    void withoutNetnsEverythingStaysOnTheHost() throws Exception {
        NetworkPlan plan = NetworkPlan.of(NetworkSpec.fromString(NETWORK.replace("netns = true", "")), dir);

        assertThat(plan.hostOf(plan.peers().get(0).grpcPort())).isEqualTo("127.0.0.1");
        assertThat(Files.readString(NetworkFiles.writeCryptoConfig(plan)))
                .contains("Hostname = \"peer0\", SANS = [\"localhost\", \"127.0.0.1\"]");
    }

    @Test
    void networkJsonKeepsTheLayoutAndReadsFilesWithoutOne() throws Exception {
        NetnsLayout layout = NetnsLayout.of(42, List.of("peer0.org1"));
        NetworkState.Node node = new NetworkState.Node("peer0.org1", "peer", "Org1", "Org1MSP", "election", 7,
                "10.213.42.10:1", "10.213.42.10:2", "10.213.42.10:1", "/c", "/l", List.of("ch1"));
        new NetworkState(dir.toString(), List.of("ch1"), "", List.of(node)).withNetns(layout).write(dir);

        NetworkState read = NetworkState.read(dir);

        assertThat(read.netns()).isEqualTo(layout);
        assertThat(read.netnsSlot("peer0.org1")).map(NetnsLayout.Slot::namespace).contains("fs2a-peer0.org1");
        assertThat(NetworkControl.commandPrefix(read, "peer0.org1")).endsWith("netns", "exec", "fs2a-peer0.org1");
        assertThat(NetworkControl.commandPrefix(read, "orderer0")).isEmpty();

        String withoutNetns = Files.readString(NetworkState.file(dir)).replaceAll("(?s),\\s*\"netns\"\\s*:\\s*\\{.*\\}\\s*\\}\\s*$", "}");
        Files.writeString(NetworkState.file(dir), withoutNetns);
        assertThat(NetworkState.read(dir).netns()).isNull();
        assertThat(NetworkState.read(dir).processes()).hasSize(1);
    }
}
