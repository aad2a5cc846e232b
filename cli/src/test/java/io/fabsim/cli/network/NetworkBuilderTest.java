package io.fabsim.cli.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkBuilderTest {

    private static NetworkState.Node peer(String name, String org, List<String> channels) {
        return new NetworkState.Node(name, "peer", org, org + "MSP", "election", 0, "", "", "", "/c/" + name, "", channels);
    }

    @Test
    void eachChannelIsJoinedFirstByAnotherPeerOfEveryOrgThenByTheRest() {
        List<String> both = List.of("ch1", "ch2");
        List<NetworkState.Node> peers = List.of(peer("p0.o1", "Org1", both), peer("p1.o1", "Org1", both),
                peer("p2.o1", "Org1", both), peer("p0.o2", "Org2", both), peer("p1.o2", "Org2", List.of("ch1")));
        List<List<NetworkState.Node>> ch1 = NetworkBuilder.joinWaves(peers, "ch1", 0);
        assertThat(ch1.get(0)).extracting(NetworkState.Node::name).containsExactly("p0.o1", "p0.o2");
        assertThat(ch1.get(1)).extracting(NetworkState.Node::name).containsExactly("p1.o1", "p2.o1", "p1.o2");
        List<List<NetworkState.Node>> ch2 = NetworkBuilder.joinWaves(peers, "ch2", 1);
        assertThat(ch2.get(0)).extracting(NetworkState.Node::name)
                .as("Org2 has one peer on ch2: the index wraps").containsExactly("p1.o1", "p0.o2");
        assertThat(ch2.get(1)).extracting(NetworkState.Node::name).containsExactly("p0.o1", "p2.o1");
    }

    @Test
    void aChannelWithOnePeerPerOrgHasOneWave() {
        List<NetworkState.Node> peers = List.of(peer("p0.o1", "Org1", List.of("ch")), peer("p0.o2", "Org2", List.of("ch")));
        assertThat(NetworkBuilder.joinWaves(peers, "ch", 3)).hasSize(1);
    }
}
