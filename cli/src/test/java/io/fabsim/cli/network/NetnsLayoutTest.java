package io.fabsim.cli.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NetnsLayoutTest {

    private static final List<String> PEERS = List.of("peer0.org1", "peer1.org1", "peer2.org1");

    @Test
    void namesAreShortPrefixedAndAddressesFollowTheSubnet() {
        NetnsLayout l = NetnsLayout.of(213, PEERS);

        assertThat(l.bridge()).isEqualTo("fsd5br");
        assertThat(l.bridgeAddress()).isEqualTo("10.213.213.1");
        assertThat(l.cidr()).isEqualTo("10.213.213.0/24");
        assertThat(l.slots()).extracting(NetnsLayout.Slot::namespace)
                .containsExactly("fsd5-peer0.org1", "fsd5-peer1.org1", "fsd5-peer2.org1");
        assertThat(l.slots()).extracting(NetnsLayout.Slot::hostVeth).containsExactly("fsd5h0", "fsd5h1", "fsd5h2");
        assertThat(l.slots()).extracting(NetnsLayout.Slot::namespaceVeth).containsExactly("fsd5n0", "fsd5n1", "fsd5n2");
        assertThat(l.slots()).extracting(NetnsLayout.Slot::address)
                .containsExactly("10.213.213.10", "10.213.213.11", "10.213.213.12");
        assertThat(l.slot("peer1.org1")).map(NetnsLayout.Slot::address).contains("10.213.213.11");
        assertThat(l.slot("orderer0")).isEmpty();
        l.checkNames();
    }

    @Test
    void theLargestLayoutStillFitsTheKernelsNameLimit() {
        List<String> many = java.util.stream.IntStream.range(0, NetnsLayout.MAX_PEERS).mapToObj(i -> "p" + i).toList();
        NetnsLayout l = NetnsLayout.of(1, many);

        l.checkNames();
        assertThat(l.slots().get(NetnsLayout.MAX_PEERS - 1).address()).isEqualTo("10.213.1.253");
        assertThat(l.slots()).allMatch(s -> s.hostVeth().length() <= 15 && s.namespaceVeth().length() <= 15);
        assertThatThrownBy(() -> NetnsLayout.choose(Path.of("/tmp/x"), java.util.Collections.nCopies(NetnsLayout.MAX_PEERS + 1, "p"),
                List.of(), Set.of())).hasMessageContaining("at most 244 peers");
    }

    @Test
    void theSameDirectoryGetsTheSameSubnetAndAnotherUsuallyAnother() {
        NetnsLayout a = NetnsLayout.choose(Path.of("/tmp/net-a"), PEERS, List.of(), Set.of());
        NetnsLayout again = NetnsLayout.choose(Path.of("/tmp/net-a"), PEERS, List.of(), Set.of());
        NetnsLayout b = NetnsLayout.choose(Path.of("/tmp/net-b"), PEERS, List.of(), Set.of());

        assertThat(again).isEqualTo(a);
        assertThat(a.subnet()).isBetween(1, 254);
        assertThat(b.subnet()).isNotEqualTo(a.subnet());
    }

    @Test
    void aSubnetCoveredByARouteOrANameInUseIsSkipped() {
        Path dir = Path.of("/tmp/net-a");
        int first = NetnsLayout.choose(dir, PEERS, List.of(), Set.of()).subnet();
        int next = first % 254 + 1;

        NetnsLayout byRoute = NetnsLayout.choose(dir, PEERS, List.of("default", "10.213." + first + ".0/24"), Set.of());
        NetnsLayout byName = NetnsLayout.choose(dir, PEERS, List.of(), Set.of(NetnsLayout.prefix(first) + "br"));
        NetnsLayout byNamespace = NetnsLayout.choose(dir, PEERS, List.of(),
                Set.of(NetnsLayout.prefix(first) + "-peer2.org1"));

        assertThat(byRoute.subnet()).isEqualTo(next);
        assertThat(byName.subnet()).isEqualTo(next);
        assertThat(byNamespace.subnet()).isEqualTo(next);
        assertThatThrownBy(() -> NetnsLayout.choose(dir, PEERS, List.of("10.0.0.0/8"), Set.of()))
                .hasMessageContaining("overlaps a route");
    }

    @Test
    void overlapComparesTheCommonPrefix() {
        assertThat(NetnsLayout.overlaps("10.213.5.0/24", 5)).isTrue();
        assertThat(NetnsLayout.overlaps("10.213.5.128/25", 5)).isTrue();
        assertThat(NetnsLayout.overlaps("10.213.5.1", 5)).isTrue();
        assertThat(NetnsLayout.overlaps("10.0.0.0/8", 5)).isTrue();
        assertThat(NetnsLayout.overlaps("10.213.6.0/24", 5)).isFalse();
        assertThat(NetnsLayout.overlaps("192.0.2.0/24", 5)).isFalse();
        assertThat(NetnsLayout.overlaps("default", 5)).isFalse();
        assertThat(NetnsLayout.overlaps("0.0.0.0/0", 5)).isFalse();
        assertThat(NetnsLayout.overlaps("10.213.5.999/24", 5)).isFalse();
    }

    @Test
    void routeDestinationsSkipTheRouteType() {
        String output = """
                default via 192.0.2.1 dev eth0
                192.0.2.0/24 dev eth0 proto kernel scope link src 192.0.2.2
                local 10.213.7.1 dev fs07br table local proto kernel scope host src 10.213.7.1
                broadcast 10.213.7.255 dev fs07br table local proto kernel scope link src 10.213.7.1
                """;

        assertThat(NetnsLayout.destinations(output))
                .containsExactly("default", "192.0.2.0/24", "10.213.7.1", "10.213.7.255");
    }
}
