package io.fabsim.cli.network;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Chooses free TCP ports at run time. Each port is bound once to prove it free and never handed out
 * twice by the same allocator; ports are released before the process that will use them starts,
 * so another program could take one in between (rare on a test machine; the process then fails to
 * start and says which address is in use).
 */
public final class PortAllocator {

    private final InetAddress host;
    private final Set<Integer> given = new HashSet<>();

    public PortAllocator(String host) throws IOException {
        this.host = InetAddress.getByName(host);
    }

    public int next() throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket socket = new ServerSocket(0, 1, host)) {
                socket.setReuseAddress(true);
                int port = socket.getLocalPort();
                if (given.add(port)) {
                    return port;
                }
            }
        }
        throw new IOException("no free port found on " + host.getHostAddress() + " after 100 attempts");
    }
}
