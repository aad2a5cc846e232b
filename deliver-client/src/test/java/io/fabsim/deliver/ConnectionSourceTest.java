package io.fabsim.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConnectionSourceTest {

    private static final ByteString CA1 = ByteString.copyFromUtf8("ca1");
    private static final ByteString CA2 = ByteString.copyFromUtf8("ca2");

    private final ConnectionSource source = new ConnectionSource(new Random(7));

    @Test
    void orgEndpointsWinOverGlobalAddressesAndCarryTheirOwnOrgsCAs() {
        source.update(new OrdererAddresses(List.of("global:7050"), Map.of(
                "A", new OrdererAddresses.Org(List.of("a0:7050", "a1:7050"), List.of(CA1)),
                "B", new OrdererAddresses.Org(List.of("b0:7050"), List.of(CA2)))));

        assertThat(source.endpoints()).containsExactly(
                new OrdererEndpoint("a0:7050", List.of(CA1)),
                new OrdererEndpoint("a1:7050", List.of(CA1)),
                new OrdererEndpoint("b0:7050", List.of(CA2)));
    }

    @Test
    void withoutOrgEndpointsTheGlobalAddressesTrustEveryOrgsCAs() {
        source.update(new OrdererAddresses(List.of("g0:7050", "g1:7050"), Map.of(
                "A", new OrdererAddresses.Org(List.of(), List.of(CA1)),
                "B", new OrdererAddresses.Org(List.of(), List.of(CA2)))));

        assertThat(source.endpoints()).containsExactly(
                new OrdererEndpoint("g0:7050", List.of(CA1, CA2)),
                new OrdererEndpoint("g1:7050", List.of(CA1, CA2)));
    }

    @Test
    void randomChoiceCoversAllEndpointsAndAvoidsTheOneThatJustFailed() {
        source.update(OrdererAddresses.global(List.of("o0:1", "o1:1", "o2:1"), List.of(CA1)));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String chosen = source.randomEndpoint("o1:1").orElseThrow().address();
            assertThat(chosen).isNotEqualTo("o1:1");
            seen.add(chosen);
        }
        assertThat(seen).containsExactlyInAnyOrder("o0:1", "o2:1");
        Set<String> all = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            all.add(source.randomEndpoint(null).orElseThrow().address());
        }
        assertThat(all).hasSize(3);
    }

    @Test
    void addressOverridesReplaceTheAddressAndOptionallyTheCAs() {
        ConnectionSource overridden = new ConnectionSource(new Random(), List.of(
                new AddressOverride("o0:1", "127.0.0.1:7050", List.of(CA2)),
                new AddressOverride("o1:1", "127.0.0.1:7051", List.of())));
        overridden.update(OrdererAddresses.global(List.of("o0:1", "o1:1", "o2:1"), List.of(CA1)));

        assertThat(overridden.endpoints()).containsExactly(
                new OrdererEndpoint("127.0.0.1:7050", List.of(CA2)),
                new OrdererEndpoint("127.0.0.1:7051", List.of(CA1)),
                new OrdererEndpoint("o2:1", List.of(CA1)));
    }

    @Test
    void aSingleEndpointIsChosenEvenRightAfterItFailed() {
        source.update(OrdererAddresses.global(List.of("only:1"), List.of(CA1)));
        assertThat(source.randomEndpoint("only:1").orElseThrow().address()).isEqualTo("only:1");
        assertThat(new ConnectionSource(new Random()).randomEndpoint(null)).isEmpty();
    }

    @Test
    void anUpdateRefreshesOldEndpointsOnlyWhenSomethingChanged() {
        OrdererAddresses first = OrdererAddresses.global(List.of("o0:1", "o1:1"), List.of(CA1));
        assertThat(source.update(first)).isTrue();
        ConnectionSource.Endpoint held = source.randomEndpoint(null).orElseThrow();

        assertThat(source.update(OrdererAddresses.global(List.of("o1:1", "o0:1"), List.of(CA1)))).isFalse();
        assertThat(held.refreshed()).isFalse();

        assertThat(source.update(OrdererAddresses.global(List.of("o0:1", "o1:1"), List.of(CA2)))).as("a CA change").isTrue();
        assertThat(held.refreshed()).isTrue();
        ConnectionSource.Endpoint fresh = source.randomEndpoint(null).orElseThrow();
        assertThat(fresh.refreshed()).isFalse();

        assertThat(source.update(OrdererAddresses.global(List.of("o0:1", "o1:1", "o2:1"), List.of(CA2)))).isTrue();
        assertThat(fresh.refreshed()).isTrue();
    }
}
