package io.fabsim.cli.console;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Who may use the console. Every request must name the console in its {@code Host} header (one of
 * the names this machine answers to, with the console's port), so that a page of another site
 * that a DNS name was rebound for cannot read the console; every action must also come from the
 * console's own page ({@code Origin} equal to {@code http://} + that host) and carry the per-run
 * token, which only the console's page knows. Loopback alone does not protect: the user's own
 * browser may visit a hostile page.
 */
final class ConsoleSecurity {

    /** The header that carries the token on actions. */
    static final String TOKEN_HEADER = "X-Fabsim-Token";

    private final String token;
    private final Set<String> hosts;

    ConsoleSecurity(String token, Set<String> hosts) {
        this.token = token;
        this.hosts = Set.copyOf(hosts);
    }

    /** A fresh random token and the host names of {@code bound}: its own address, and for loopback or wildcard the usual names. */
    static ConsoleSecurity forAddress(InetSocketAddress bound) {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        return new ConsoleSecurity(Base64.getUrlEncoder().withoutPadding().encodeToString(random), hostNames(bound));
    }

    static Set<String> hostNames(InetSocketAddress bound) {
        Set<String> names = new LinkedHashSet<>();
        InetAddress address = bound.getAddress();
        int port = bound.getPort();
        if (address.isLoopbackAddress() || address.isAnyLocalAddress()) {
            names.add("localhost:" + port);
            names.add("127.0.0.1:" + port);
            names.add("[::1]:" + port);
        }
        if (address.isAnyLocalAddress()) {
            try {
                for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                    for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                        names.add(hostPort(a, port));
                    }
                }
                names.add(InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT) + ":" + port);
            } catch (SocketException | java.net.UnknownHostException e) {
                // only the loopback names then
            }
        } else {
            names.add(hostPort(address, port));
        }
        return names;
    }

    private static String hostPort(InetAddress a, int port) {
        String host = a.getHostAddress();
        int zone = host.indexOf('%');
        host = zone < 0 ? host : host.substring(0, zone);
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    String token() {
        return token;
    }

    /** Empty when {@code host} (the Host header, possibly absent) names this console, else why not. */
    Optional<String> checkHost(String host) {
        if (host == null || host.isBlank()) {
            return Optional.of("missing Host header");
        }
        if (!hosts.contains(host.toLowerCase(Locale.ROOT))) {
            return Optional.of("Host " + host + " is not this console (expected one of " + hosts + ")");
        }
        return Optional.empty();
    }

    /** Empty when an action with these headers may run, else why not. */
    Optional<String> checkAction(String host, String origin, String presentedToken) {
        Optional<String> badHost = checkHost(host);
        if (badHost.isPresent()) {
            return badHost;
        }
        if (origin == null || origin.isBlank()) {
            return Optional.of("missing Origin header: actions come from the console's own page");
        }
        if (!origin.equalsIgnoreCase("http://" + host)) {
            return Optional.of("Origin " + origin + " is not this console (expected http://" + host + ")");
        }
        if (presentedToken == null || presentedToken.isEmpty()) {
            return Optional.of("missing token: send the console's per-run token in " + TOKEN_HEADER);
        }
        if (!MessageDigest.isEqual(presentedToken.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
            return Optional.of("wrong token in " + TOKEN_HEADER + " (the console was restarted? reload the page)");
        }
        return Optional.empty();
    }
}
