package io.fabsim.election.jgroups;

import io.fabsim.election.ElectionException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JGroups accepts a bind address only on an interface that is up, although the kernel binds to an
 * address of an interface without carrier. A peer started while its link is down (a pulled cable, a
 * partitioned namespace) would exit where a Fabric peer starts and waits for the network; this waits
 * until the bind address's interface is up. It polls on real time: it runs before the JGroups
 * adapter exists and only while the process is starting.
 */
final class BindInterface {

    private static final Logger LOG = LoggerFactory.getLogger(BindInterface.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration REMIND = Duration.ofSeconds(10);

    /** How an interface looks to this check; the system's, or a test's. */
    interface Interfaces {
        /** The name of the interface that has {@code address}, and whether it is up; empty if none has it. */
        Optional<State> of(InetAddress address) throws SocketException;

        Interfaces SYSTEM = address -> {
            NetworkInterface nif = NetworkInterface.getByInetAddress(address);
            return nif == null ? Optional.empty() : Optional.of(new State(nif.getName(), nif.isUp()));
        };
    }

    record State(String name, boolean up) {
    }

    private BindInterface() {
    }

    /**
     * Returns once {@code host}'s interface is up, or at once when {@code host} is loopback, is not an
     * address (a JGroups symbol such as {@code SITE_LOCAL}), or is on no interface (JGroups then
     * refuses it with its own message: a configuration error, not a link that is down).
     */
    static void awaitUp(String host, String node, Interfaces interfaces) {
        if (host.matches("[A-Z_]+") || host.startsWith("match-")) {
            return; // a JGroups symbol (SITE_LOCAL, match-interface:eth0, ...), resolved by JGroups
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException | SecurityException e) {
            return;
        }
        if (address.isLoopbackAddress() || address.isAnyLocalAddress()) {
            return;
        }
        long started = System.nanoTime(); // real time: see the class comment
        long reminded = started;
        boolean waiting = false;
        try {
            while (true) {
                Optional<State> state = interfaces.of(address);
                if (state.isEmpty() || state.get().up()) {
                    if (waiting) {
                        LOG.info("{}: interface {} of JGroups bind address {} is up after {} ms; building the election "
                                + "stack", node, state.map(State::name).orElse("?"), host,
                                (System.nanoTime() - started) / 1_000_000);
                    }
                    return;
                }
                long now = System.nanoTime();
                if (!waiting || now - reminded >= REMIND.toNanos()) {
                    LOG.warn("{}: interface {} of JGroups bind address {} is down (no carrier?); waiting for it to come "
                            + "up before joining the election ({} s so far)", node, state.get().name(), host,
                            (now - started) / 1_000_000_000);
                    waiting = true;
                    reminded = now;
                }
                Thread.sleep(POLL.toMillis());
            }
        } catch (SocketException e) {
            LOG.debug("{}: cannot inspect the interface of {}: {}; leaving the check to JGroups", node, host, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ElectionException("node " + node + ": interrupted while waiting for the interface of JGroups bind "
                    + "address " + host + " to come up", e);
        }
    }
}
