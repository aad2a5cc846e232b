package io.fabsim.gossip;

import io.fabsim.common.config.ConfigException;
import io.fabsim.common.config.ConfigReader;
import io.fabsim.common.config.HostPort;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code peer.gossip} settings this module reads (see its reference.conf), validated on load.
 * Keys with Fabric's names have Fabric's meanings; fabsim's own are under {@code peer.gossip.fabsim}.
 * With {@code peer.gossip.fabsim.profile = fabric-exact} every fabsim-only behaviour is off and the
 * Fabric keys this file does not set take Fabric's defaults.
 *
 * @param endpoint where the gossip service listens; empty: the peer's own listen address
 * @param externalEndpoint what org peers dial; empty: {@code endpoint}
 * @param reconnectInterval how often the transport re-dials an unreachable peer: fabsim's
 *        {@code peer.gossip.fabsim.reconnectInterval}, or Fabric's {@code peer.gossip.reconnectInterval}
 *        in the fabric-exact profile
 * @param commitStateInfoInterval fabsim's {@code peer.gossip.fabsim.commitStateInfoInterval}: the least
 *        time between two StateInfo messages sent because of commits; zero (the fabric-exact
 *        profile's value) sends one after every commit
 */
public record GossipConfig(Profile profile, List<HostPort> bootstrap, Optional<HostPort> endpoint,
        Optional<HostPort> externalEndpoint,
        int propagatePeerNum, int sendBuffSize, Duration dialTimeout, Duration reconnectInterval,
        Duration publishStateInfoInterval, Duration commitStateInfoInterval, Duration aliveTimeInterval, Duration aliveExpirationTimeout,
        Duration publishCertPeriod, int maxBlockCountToStore, StateConfig state) {

    private static final String P = "peer.gossip.";

    private static final Logger log = LoggerFactory.getLogger(GossipConfig.class);

    /** {@code peer.gossip.fabsim.profile}: fabsim's improvements on, or Fabric's behaviour exactly. */
    public enum Profile {
        FABSIM, FABRIC_EXACT
    }

    /**
     * {@code peer.gossip.state.*}; {@code lagTimeout} is fabsim's {@code peer.gossip.fabsim.lagTimeout},
     * empty when the lag check is off (fabric-exact).
     */
    public record StateConfig(boolean enabled, Duration checkInterval, Optional<Duration> lagTimeout,
            Duration responseTimeout, int batchSize, int blockBufferSize, int maxRetries, Duration ordererWaitTimeout) {
    }

    public GossipConfig {
        bootstrap = List.copyOf(bootstrap);
    }

    /**
     * Reads and validates {@code peer.gossip}; unknown keys there are refused, except the ones the
     * peer-node and election modules own.
     */
    public static GossipConfig from(ConfigReader reader) {
        reader.rejectUnknownKeys("peer.gossip", "peer.gossip.election", "peer.gossip.useLeaderElection",
                "peer.gossip.orgLeader", P + "state.lagTimeout");
        Profile profile = profile(reader);
        boolean exact = profile == Profile.FABRIC_EXACT;
        StateConfig state = new StateConfig(
                exact && !explicit(reader, P + "state.enabled") ? false : reader.bool(P + "state.enabled"),
                exact && !explicit(reader, P + "state.checkInterval") ? Duration.ofSeconds(10)
                        : reader.duration(P + "state.checkInterval", Duration.ofMillis(10), Duration.ofHours(1)),
                exact ? Optional.empty() : Optional.of(renamed(reader, P + "state.lagTimeout", P + "fabsim.lagTimeout")),
                reader.duration(P + "state.responseTimeout", Duration.ofMillis(10), Duration.ofMinutes(10)),
                reader.intInRange(P + "state.batchSize", 1, 1000),
                reader.intInRange(P + "state.blockBufferSize", 1, 100_000),
                reader.intInRange(P + "state.maxRetries", 1, 100),
                reader.duration(P + "state.ordererWaitTimeout", Duration.ofSeconds(1), Duration.ofHours(1)));
        return new GossipConfig(
                profile,
                bootstrap(reader),
                optionalHostPort(reader, P + "endpoint"),
                optionalHostPort(reader, P + "externalEndpoint"),
                reader.intInRange(P + "propagatePeerNum", 1, 100),
                reader.intInRange(P + "sendBuffSize", 1, 100_000),
                reader.duration(P + "dialTimeout", Duration.ofMillis(100), Duration.ofMinutes(1)),
                exact ? reader.duration(P + "reconnectInterval", Duration.ofMillis(50), Duration.ofHours(1))
                        : fabsimReconnectInterval(reader),
                reader.duration(P + "publishStateInfoInterval", Duration.ofMillis(100), Duration.ofMinutes(1)),
                exact ? Duration.ZERO : reader.duration(P + "fabsim.commitStateInfoInterval", Duration.ZERO,
                        Duration.ofMinutes(1)),
                reader.duration(P + "aliveTimeInterval", Duration.ofMillis(10), Duration.ofHours(1)),
                reader.duration(P + "aliveExpirationTimeout", Duration.ofMillis(10), Duration.ofHours(1)),
                reader.duration(P + "publishCertPeriod", Duration.ZERO, Duration.ofHours(1)),
                reader.intInRange(P + "maxBlockCountToStore", 1, 100_000),
                state);
    }

    private static Profile profile(ConfigReader reader) {
        String value = reader.string(P + "fabsim.profile");
        return switch (value) {
            case "fabsim" -> Profile.FABSIM;
            case "fabric-exact" -> Profile.FABRIC_EXACT;
            default -> throw new ConfigException(P + "fabsim.profile", "expected fabsim or fabric-exact, got \"" + value
                    + "\"");
        };
    }

    /**
     * fabsim's re-dial interval. A configuration of the previous release that sets
     * {@code peer.gossip.reconnectInterval} (then fabsim's re-dial interval, now Fabric's dead-peer
     * probe interval) and not the new key keeps its value, with a warning.
     */
    private static Duration fabsimReconnectInterval(ConfigReader reader) {
        String fabsim = P + "fabsim.reconnectInterval";
        String fabric = P + "reconnectInterval";
        if (explicit(reader, fabric) && !explicit(reader, fabsim)) {
            Duration old = reader.duration(fabric, Duration.ofMillis(50), Duration.ofHours(1));
            log.warn("{} = {} is read as fabsim's re-dial interval ({}) for this release; {} now has Fabric's meaning "
                    + "(the interval dead members are probed, default 25s): set {} instead", fabric, old, fabsim, fabric,
                    fabsim);
            return old;
        }
        return reader.duration(fabsim, Duration.ofMillis(50), Duration.ofMinutes(5));
    }

    /** The value of {@code newPath}, or of {@code oldPath} (a name of the previous release) with a warning. */
    private static Duration renamed(ConfigReader reader, String oldPath, String newPath) {
        if (reader.has(oldPath)) {
            log.warn("{} is renamed {} (a fabsim-only setting); the old name is read for this release only", oldPath,
                    newPath);
            return reader.duration(oldPath, Duration.ofMillis(10), Duration.ofHours(1));
        }
        return reader.duration(newPath, Duration.ofMillis(10), Duration.ofHours(1));
    }

    /** Whether the key is set by the process's configuration (file or environment), not by a reference.conf. */
    private static boolean explicit(ConfigReader reader, String path) {
        return reader.has(path) && !"reference.conf".equals(reader.config().getValue(path).origin().resource());
    }

    private static Optional<HostPort> optionalHostPort(ConfigReader reader, String path) {
        return reader.optionalString(path).isPresent() ? Optional.of(reader.hostPort(path)) : Optional.empty();
    }

    private static List<HostPort> bootstrap(ConfigReader reader) {
        String path = P + "bootstrap";
        List<String> items = new ArrayList<>();
        if (reader.config().hasPath(path) && reader.config().getValue(path).valueType() == ConfigValueType.STRING) {
            for (String s : reader.string(path).split("[\\s,]+")) {
                if (!s.isBlank()) {
                    items.add(s);
                }
            }
        } else {
            items.addAll(reader.strings(path));
        }
        List<HostPort> endpoints = new ArrayList<>();
        for (String item : items) {
            try {
                endpoints.add(HostPort.parse(item.trim()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(path, "expected host:port endpoints, got \"" + item + "\"");
            }
        }
        return endpoints;
    }
}
