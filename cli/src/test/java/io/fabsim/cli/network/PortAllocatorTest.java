package io.fabsim.cli.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortAllocatorTest {

    @Test
    void portsAreBelowTheEphemeralRangeDistinctAndBindable() throws Exception {
        PortAllocator ports = new PortAllocator("127.0.0.1", 32_768, new Random(7));
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            int port = ports.next();
            assertThat(port).isBetween(10_000, 32_767);
            assertThat(seen.add(port)).as("port %d handed out twice", port).isTrue();
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress("127.0.0.1", port));
            }
        }
    }

    @Test
    void anElectionPortReservesTheFdSockRangeAboveIt() throws Exception {
        PortAllocator ports = new PortAllocator("127.0.0.1", 32_768, new Random(11));
        int election = ports.nextElectionPort();
        for (int i = 0; i < 200; i++) {
            int other = ports.next();
            boolean inRange = other >= election + PortAllocator.FD_SOCK_OFFSET
                    && other < election + PortAllocator.FD_SOCK_OFFSET + PortAllocator.FD_SOCK_RANGE;
            assertThat(inRange).as("port %d falls in FD_SOCK2's range above %d", other, election).isFalse();
        }
    }

    @Test
    void aPortInUseIsSkipped() throws Exception {
        try (ServerSocket busy = new ServerSocket()) {
            busy.bind(new InetSocketAddress("127.0.0.1", 0));
            // Start the cursor just below the busy port (seeded so the first candidate is near it).
            PortAllocator ports = new PortAllocator("127.0.0.1", 65_000, new Random(1));
            for (int i = 0; i < 100; i++) {
                assertThat(ports.next()).isNotEqualTo(busy.getLocalPort());
            }
        }
    }
}
