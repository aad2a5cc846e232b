package io.fabsim.election.jgroups;

import io.fabsim.election.ElectionConfig;
import io.fabsim.election.ElectionException;
import io.fabsim.election.ElectionIdentity;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jgroups.JChannel;

/**
 * Builds a JGroups channel from a stack file. Placeholders {@code ${fabsim.NAME:default}} are
 * replaced per instance, from the election config, before JGroups parses the XML, so several
 * elections in one JVM never share settings through system properties. Other {@code ${...}}
 * placeholders are left to JGroups.
 */
public final class JGroupsStack {

    /** The stack bundled in the jar (a copy of {@code conf/jgroups-tcp.xml}). */
    public static final String BUNDLED = "jgroups-tcp.xml";

    /** FD_SOCK2's offset from the TCP port in the bundled stack. */
    static final int FD_SOCK_OFFSET = 100;

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{fabsim\\.([a-z_]+)(?::([^}]*))?}");

    private JGroupsStack() {
    }

    /** A channel (not connected) on the stack {@code settings} names, with its bind address and hosts. */
    public static JChannel channel(ElectionConfig.JGroups settings, ElectionIdentity identity) {
        String where = settings.config().map(Object::toString).orElse("classpath:" + BUNDLED);
        BindInterface.awaitUp(settings.bindAddress(), identity.nodeName(), BindInterface.Interfaces.SYSTEM);
        int port = settings.bindPort() == 0 ? freePort(settings.bindAddress(), identity) : settings.bindPort();
        String xml = substitute(read(settings, where), Map.of(
                "bind_addr", settings.bindAddress(),
                "bind_port", Integer.toString(port),
                "initial_hosts", String.join(",", settings.initialHosts()),
                "hang_timeout", settings.hangTimeout().toMillis() + "ms",
                "heartbeat_interval", settings.heartbeatInterval().toMillis() + "ms"), where);
        try {
            return new JChannel(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new ElectionException("node " + identity.nodeName() + ": cannot build the JGroups stack from "
                    + where + ": " + e.getMessage(), e);
        }
    }

    /**
     * A port free on {@code host} whose FD_SOCK2 companion (port + 100) is free too. JGroups refuses
     * bind_port 0 with TCPPING, so "any free port" is chosen here.
     */
    static int freePort(String host, ElectionIdentity identity) {
        try {
            InetAddress address = InetAddress.getByName(host);
            for (int attempt = 0; attempt < 100; attempt++) {
                try (ServerSocket probe = new ServerSocket(0, 1, address)) {
                    int port = probe.getLocalPort();
                    if (port + FD_SOCK_OFFSET < 65536 && isFree(address, port + FD_SOCK_OFFSET)) {
                        return port;
                    }
                }
            }
        } catch (IOException e) {
            throw new ElectionException("peer.gossip.election.jgroups.bindAddress: node " + identity.nodeName()
                    + ": cannot find a free port on " + host + ": " + e.getMessage(), e);
        }
        throw new ElectionException("peer.gossip.election.jgroups.bindPort: node " + identity.nodeName()
                + ": no free port pair (p, p + " + FD_SOCK_OFFSET + ") on " + host + " after 100 attempts");
    }

    private static boolean isFree(InetAddress address, int port) {
        try (ServerSocket s = new ServerSocket(port, 1, address)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Replaces every {@code ${fabsim.NAME[:default]}} with {@code values.get(NAME)} or the default. */
    static String substitute(String xml, Map<String, String> values, String where) {
        Matcher m = PLACEHOLDER.matcher(xml);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                value = m.group(2);
            }
            if (value == null) {
                throw new ElectionException(where + ": placeholder ${fabsim." + m.group(1)
                        + "} has no value and no default; known: " + values.keySet());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String read(ElectionConfig.JGroups settings, String where) {
        try {
            if (settings.config().isPresent()) {
                return Files.readString(settings.config().get());
            }
            try (InputStream in = JGroupsStack.class.getClassLoader().getResourceAsStream(BUNDLED)) {
                if (in == null) {
                    throw new ElectionException(where + ": resource missing from the class path");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new ElectionException("peer.gossip.election.jgroups.config: cannot read the JGroups stack "
                    + where + ": " + e.getMessage(), e);
        }
    }
}
