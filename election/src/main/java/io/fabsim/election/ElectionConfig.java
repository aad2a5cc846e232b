package io.fabsim.election;

import io.fabsim.common.config.ConfigException;
import io.fabsim.common.config.ConfigReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settings of the JGroups election, read from {@code peer.gossip.election} and its {@code jgroups}
 * section (see this module's {@code reference.conf} for each key's meaning, unit, default and range).
 * The first four are read from {@code peer.gossip.election.jgroups.*}; the same names directly under
 * {@code peer.gossip.election} are Fabric's ({@link FabricElectionConfig}) and are read here only as
 * the deprecated old names, when set and the new key is not.
 *
 * @param startupGracePeriod longest time a fresh cluster's coordinator waits for a stable membership
 *     before its first assignment (so that peers starting together share the channels)
 * @param membershipSampleInterval how long the membership must stay unchanged to count as stable
 * @param leaderAliveThreshold a member whose own timer finds it was paused (SIGSTOP, long GC) for
 *     longer than this assumes it was replaced and stops delivering until the cluster confirms it
 * @param leaderElectionDuration after a merge, how long the coordinator waits for every member's
 *     claims before resolving duplicate leaders
 * @param yieldCooldown how long a peer that yielded a channel is not chosen again for it (unless
 *     it is the only eligible peer)
 * @param clusterPrefix the JGroups cluster name is this prefix followed by the org's MSP id
 * @param jgroups the JGroups stack settings
 */
public record ElectionConfig(Duration startupGracePeriod, Duration membershipSampleInterval,
                             Duration leaderAliveThreshold, Duration leaderElectionDuration,
                             Duration yieldCooldown, String clusterPrefix, JGroups jgroups) {

    public static final String SECTION = "peer.gossip.election";

    private static final Logger log = LoggerFactory.getLogger(ElectionConfig.class);

    private static final Pattern INITIAL_HOST = Pattern.compile("[^\\s\\[\\],]+\\[\\d{1,5}]");

    /**
     * @param config the stack file; empty means the bundled {@code jgroups-tcp.xml}
     * @param bindAddress the address TCP and FD_SOCK2 bind to
     * @param bindPort the TCP port (0: any free port)
     * @param initialHosts TCPPING's members to contact first, each {@code host[port]}
     * @param hangTimeout FD_ALL3's timeout: a member silent this long is suspected (hung)
     * @param heartbeatInterval FD_ALL3's interval: how often members send heartbeats and check
     */
    public record JGroups(Optional<Path> config, String bindAddress, int bindPort, List<String> initialHosts,
                          Duration hangTimeout, Duration heartbeatInterval) {

        /** The reference.conf defaults of {@code hangTimeout} and {@code heartbeatInterval}. */
        public static final Duration DEFAULT_HANG_TIMEOUT = Duration.ofSeconds(3);
        public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(1);

        public JGroups {
            initialHosts = List.copyOf(initialHosts);
        }

        /** With the default hang detection (3 s timeout, 1 s heartbeats). */
        public JGroups(Optional<Path> config, String bindAddress, int bindPort, List<String> initialHosts) {
            this(config, bindAddress, bindPort, initialHosts, DEFAULT_HANG_TIMEOUT, DEFAULT_HEARTBEAT_INTERVAL);
        }
    }

    public static ElectionConfig from(ConfigReader reader) {
        reader.rejectUnknownKeys(SECTION);
        String p = SECTION + ".";
        Duration min = Duration.ofMillis(1);
        Duration hour = Duration.ofHours(1);
        List<String> hosts = reader.strings(p + "jgroups.initialHosts");
        for (String h : hosts) {
            if (!INITIAL_HOST.matcher(h).matches()) {
                throw new ConfigException(p + "jgroups.initialHosts",
                        "expected a list of host[port] such as 127.0.0.1[7800], got \"" + h + "\"");
            }
        }
        Duration hangTimeout = reader.duration(p + "jgroups.hangTimeout", Duration.ofMillis(200), hour);
        Duration heartbeat = reader.duration(p + "jgroups.heartbeatInterval", Duration.ofMillis(50), hour);
        if (heartbeat.compareTo(hangTimeout) >= 0) {
            throw new ConfigException(p + "jgroups.heartbeatInterval", "expected a duration below "
                    + p + "jgroups.hangTimeout (" + hangTimeout + "), got " + heartbeat);
        }
        JGroups jgroups = new JGroups(reader.optionalPath(p + "jgroups.config"),
                reader.nonEmptyString(p + "jgroups.bindAddress"),
                reader.intInRange(p + "jgroups.bindPort", 0, 65535), hosts, hangTimeout, heartbeat);
        String aliveKey = renamed(reader, "leaderAliveThreshold");
        Duration alive = reader.duration(aliveKey, Duration.ofMillis(100), hour);
        Duration exclusion = hangTimeout.minus(heartbeat);
        if (alive.compareTo(exclusion) > 0) {
            throw new ConfigException(aliveKey, "expected at most " + p + "jgroups.hangTimeout less "
                    + p + "jgroups.heartbeatInterval (" + exclusion + "): a member frozen long enough to be excluded "
                    + "must notice it and stand down; got " + alive);
        }
        return new ElectionConfig(
                reader.duration(renamed(reader, "startupGracePeriod"), Duration.ZERO, hour),
                reader.duration(renamed(reader, "membershipSampleInterval"), min, hour),
                alive,
                reader.duration(renamed(reader, "leaderElectionDuration"), min, hour),
                reader.duration(p + "yieldCooldown", Duration.ZERO, Duration.ofDays(1)),
                reader.nonEmptyString(p + "clusterPrefix"),
                jgroups);
    }

    /**
     * The key to read a JGroups timing from: {@code jgroups.<name>}, unless only the old name
     * {@code peer.gossip.election.<name>} (now Fabric's key) is set in the peer's own configuration.
     */
    private static String renamed(ConfigReader reader, String name) {
        String old = SECTION + "." + name;
        String current = SECTION + ".jgroups." + name;
        if (setByUser(reader, old) && !setByUser(reader, current)) {
            log.warn("{} is Fabric's key now (used by algorithm = fabric); reading it as {} for the JGroups "
                    + "election for this release: rename it", old, current);
            return old;
        }
        return current;
    }

    private static boolean setByUser(ConfigReader reader, String path) {
        if (!reader.has(path)) {
            return false;
        }
        String resource = reader.config().getValue(path).origin().resource();
        return resource == null || !resource.endsWith("reference.conf");
    }

    /** The JGroups cluster name of an organization. */
    public String clusterName(String mspId) {
        return clusterPrefix + mspId;
    }
}
