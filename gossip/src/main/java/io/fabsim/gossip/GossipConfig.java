package io.fabsim.gossip;

import io.fabsim.common.config.ConfigException;
import io.fabsim.common.config.ConfigReader;
import io.fabsim.common.config.HostPort;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code peer.gossip} settings this module reads (see its reference.conf), validated on load.
 *
 * @param endpoint where the gossip service listens; empty: the peer's own listen address
 * @param externalEndpoint what org peers dial; empty: {@code endpoint}
 */
public record GossipConfig(List<HostPort> bootstrap, Optional<HostPort> endpoint, Optional<HostPort> externalEndpoint,
        int propagatePeerNum, int sendBuffSize, Duration dialTimeout, Duration reconnectInterval,
        Duration publishStateInfoInterval, Duration aliveTimeInterval, Duration aliveExpirationTimeout,
        Duration publishCertPeriod, int maxBlockCountToStore, StateConfig state) {

    private static final String P = "peer.gossip.";

    /** {@code peer.gossip.state.*}. */
    public record StateConfig(boolean enabled, Duration checkInterval, Duration lagTimeout, Duration responseTimeout,
            int batchSize, int blockBufferSize, int maxRetries, Duration ordererWaitTimeout) {
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
                "peer.gossip.orgLeader");
        StateConfig state = new StateConfig(
                reader.bool(P + "state.enabled"),
                reader.duration(P + "state.checkInterval", Duration.ofMillis(10), Duration.ofHours(1)),
                reader.duration(P + "state.lagTimeout", Duration.ofMillis(10), Duration.ofHours(1)),
                reader.duration(P + "state.responseTimeout", Duration.ofMillis(10), Duration.ofMinutes(10)),
                reader.intInRange(P + "state.batchSize", 1, 1000),
                reader.intInRange(P + "state.blockBufferSize", 1, 100_000),
                reader.intInRange(P + "state.maxRetries", 1, 100),
                reader.duration(P + "state.ordererWaitTimeout", Duration.ofSeconds(1), Duration.ofHours(1)));
        return new GossipConfig(
                bootstrap(reader),
                optionalHostPort(reader, P + "endpoint"),
                optionalHostPort(reader, P + "externalEndpoint"),
                reader.intInRange(P + "propagatePeerNum", 1, 100),
                reader.intInRange(P + "sendBuffSize", 1, 100_000),
                reader.duration(P + "dialTimeout", Duration.ofMillis(100), Duration.ofMinutes(1)),
                reader.duration(P + "reconnectInterval", Duration.ofMillis(50), Duration.ofMinutes(5)),
                reader.duration(P + "publishStateInfoInterval", Duration.ofMillis(100), Duration.ofMinutes(1)),
                reader.duration(P + "aliveTimeInterval", Duration.ofMillis(10), Duration.ofHours(1)),
                reader.duration(P + "aliveExpirationTimeout", Duration.ofMillis(10), Duration.ofHours(1)),
                reader.duration(P + "publishCertPeriod", Duration.ZERO, Duration.ofHours(1)),
                reader.intInRange(P + "maxBlockCountToStore", 1, 100_000),
                state);
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
