package io.fabsim.cli.network;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

/**
 * Chooses free TCP ports at run time, below the kernel's ephemeral range. A port from the ephemeral
 * range (what binding port 0 returns) can be taken by any outgoing connection between the moment
 * it is found free and the moment the process that will use it binds it; with a network of
 * processes dialling each other that happens. Ports below the range are only ever taken by a bind.
 * Each port is proven free by binding it once, and never handed out twice.
 */
public final class PortAllocator {

    /** JGroups FD_SOCK2 in {@code conf/jgroups-tcp.xml} binds {@code bind_port + 100} and the next 20. */
    static final int FD_SOCK_OFFSET = 100;
    static final int FD_SOCK_RANGE = 21;
    private static final int LOWEST = 10_000;

    private final InetAddress host;
    private final int ceiling;
    private final Set<Integer> given = new HashSet<>();
    private int cursor;

    public PortAllocator(String host) throws IOException {
        this(host, ephemeralLow(), new Random());
    }

    PortAllocator(String host, int ephemeralLow, Random random) throws IOException {
        this.host = InetAddress.getByName(host);
        this.ceiling = Math.max(LOWEST + 2_000, ephemeralLow);
        this.cursor = LOWEST + random.nextInt(ceiling - LOWEST - 1_000);
    }

    /** A free port. */
    public int next() throws IOException {
        for (int attempts = 0; attempts < ceiling - LOWEST; attempts++) {
            int port = advance();
            if (!given.contains(port) && free(port)) {
                given.add(port);
                return port;
            }
        }
        throw new IOException("no free port below " + ceiling + " on " + host.getHostAddress());
    }

    /** A free port for a JGroups member, with the FD_SOCK2 ports above it free and reserved too. */
    public int nextElectionPort() throws IOException {
        for (int attempts = 0; attempts < ceiling - LOWEST; attempts++) {
            int port = advance();
            if (port + FD_SOCK_OFFSET + FD_SOCK_RANGE >= ceiling || given.contains(port) || !free(port)) {
                continue;
            }
            boolean all = true;
            for (int p = port + FD_SOCK_OFFSET; p < port + FD_SOCK_OFFSET + FD_SOCK_RANGE && all; p++) {
                all = !given.contains(p) && free(p);
            }
            if (all) {
                given.add(port);
                for (int p = port + FD_SOCK_OFFSET; p < port + FD_SOCK_OFFSET + FD_SOCK_RANGE; p++) {
                    given.add(p);
                }
                return port;
            }
        }
        throw new IOException("no free port block for JGroups below " + ceiling + " on " + host.getHostAddress());
    }

    private int advance() {
        cursor = cursor + 1 >= ceiling ? LOWEST : cursor + 1;
        return cursor;
    }

    private boolean free(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(host, port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The first port of the kernel's ephemeral range (Linux: /proc/sys/net/ipv4/ip_local_port_range). */
    static int ephemeralLow() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }
}
