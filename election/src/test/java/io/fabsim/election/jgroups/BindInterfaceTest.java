package io.fabsim.election.jgroups;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Scenario: the election's bind address is on an interface that is down for the first checks.
 * Expected: the wait returns only once the interface is up; an address on no interface, a JGroups
 * symbol and loopback are left to JGroups at once. (The assembled peer in a namespace whose link is
 * cut is {@code cli}'s {@code PeerStartsWhileCutTest}.)
 */
class BindInterfaceTest {

    @Test
    void waitsUntilTheInterfaceIsUp() {
        AtomicInteger checks = new AtomicInteger();
        BindInterface.awaitUp("10.250.0.2", "peer0", address -> {
            assertThat(address.getHostAddress()).isEqualTo("10.250.0.2");
            return Optional.of(new BindInterface.State("veth0", checks.incrementAndGet() > 3));
        });
        assertThat(checks).hasValue(4);
    }

    @Test
    void anAddressOnNoInterfaceIsLeftToJGroups() {
        AtomicInteger checks = new AtomicInteger();
        BindInterface.awaitUp("10.250.0.3", "peer0", address -> {
            checks.incrementAndGet();
            return Optional.empty();
        });
        assertThat(checks).hasValue(1);
    }

    @Test
    void symbolsAndLoopbackAreNotChecked() {
        BindInterface.Interfaces never = address -> {
            throw new AssertionError("checked " + address);
        };
        BindInterface.awaitUp("SITE_LOCAL", "peer0", never);
        BindInterface.awaitUp("127.0.0.1", "peer0", never);
    }
}
