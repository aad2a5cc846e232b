package io.fabsim.cli.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkBuilderTest {

    private static NetworkState.Node peer(String name, String org) {
        return new NetworkState.Node(name, "peer", org, org + "MSP", "election", 0, "", "", "", "/c/" + name, "", List.of("ch1"));
    }

    @Test
    void eachChannelStartsWithAnotherPeerOfEveryOrg() {
        List<NetworkState.Node> peers = List.of(peer("p0.o1", "Org1"), peer("p1.o1", "Org1"), peer("p2.o1", "Org1"),
                peer("p0.o2", "Org2"), peer("p1.o2", "Org2"));
        assertThat(NetworkBuilder.joinOrder(peers, 0)).extracting(NetworkState.Node::name)
                .containsExactly("p0.o1", "p1.o1", "p2.o1", "p0.o2", "p1.o2");
        assertThat(NetworkBuilder.joinOrder(peers, 1)).extracting(NetworkState.Node::name)
                .containsExactly("p1.o1", "p2.o1", "p0.o1", "p1.o2", "p0.o2");
        assertThat(NetworkBuilder.joinOrder(peers, 3)).extracting(NetworkState.Node::name)
                .as("the shift wraps within each org").containsExactly("p0.o1", "p1.o1", "p2.o1", "p1.o2", "p0.o2");
    }
}
