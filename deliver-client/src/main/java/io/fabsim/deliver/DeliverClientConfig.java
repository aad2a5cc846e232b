package io.fabsim.deliver;

import io.fabsim.common.config.ConfigException;
import io.fabsim.common.config.ConfigReader;
import com.google.protobuf.ByteString;
import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The deliver client's settings, read from {@code peer.deliveryclient} and
 * {@code peer.keepalive.deliveryClient} (Fabric's {@code core.yaml} names; see reference.conf).
 *
 * @param blockGossipEnabled          the leader pushes each block it received from the orderer to the org's peers;
 *                                    read by the {@link BlockSink}'s owner (peer-node), which makes that push
 * @param reconnectTotalTimeThreshold total backoff sleep after which an elected leader gives up and yields
 * @param connTimeout                 dial timeout per orderer connection attempt
 * @param reConnectBackoffThreshold   the largest sleep between two attempts
 * @param minimalReconnectInterval    the first sleep after a failure
 * @param reconnectBackoffBase        the exponent base of the backoff (Fabric's constant 1.2)
 * @param keepaliveInterval           gRPC keepalive ping interval on orderer connections
 * @param keepaliveTimeout            gRPC keepalive timeout on orderer connections
 * @param addressOverrides            orderer addresses to replace wherever a channel config names them
 * @param warmStandby                 fabsim-only ({@code peer.deliveryclient.fabsim.warmStandby}): a peer
 *                                    that may be elected keeps a connection to an orderer open while it
 *                                    does not lead, so that taking over costs one SeekInfo, not a dial
 */
public record DeliverClientConfig(
        boolean blockGossipEnabled,
        Duration reconnectTotalTimeThreshold,
        Duration connTimeout,
        Duration reConnectBackoffThreshold,
        Duration minimalReconnectInterval,
        double reconnectBackoffBase,
        Duration keepaliveInterval,
        Duration keepaliveTimeout,
        List<AddressOverride> addressOverrides,
        boolean warmStandby) {

    public DeliverClientConfig {
        addressOverrides = List.copyOf(addressOverrides);
    }

    static final String SECTION = "peer.deliveryclient";
    static final String KEEPALIVE = "peer.keepalive.deliveryClient";
    private static final Duration DAY = Duration.ofDays(1);
    private static final Duration YEAR = Duration.ofDays(365);

    /** Fabric's defaults, the same as reference.conf. */
    public static DeliverClientConfig defaults() {
        return new DeliverClientConfig(true, Duration.ofHours(1), Duration.ofSeconds(3), Duration.ofHours(1),
                Duration.ofMillis(100), 1.2, Duration.ofSeconds(60), Duration.ofSeconds(20), List.of(), true);
    }

    public static DeliverClientConfig from(ConfigReader reader) {
        reader.rejectUnknownKeys(SECTION);
        reader.rejectUnknownKeys(KEEPALIVE);
        Duration minimal = reader.duration(SECTION + ".minimalReconnectInterval", Duration.ofMillis(1), Duration.ofHours(1));
        Duration backoffThreshold = reader.duration(SECTION + ".reConnectBackoffThreshold", Duration.ofMillis(1), DAY);
        if (backoffThreshold.compareTo(minimal) < 0) {
            throw new ConfigException(SECTION + ".reConnectBackoffThreshold",
                    "expected a duration of at least " + SECTION + ".minimalReconnectInterval (" + minimal + "), got "
                            + backoffThreshold);
        }
        return new DeliverClientConfig(
                reader.bool(SECTION + ".blockGossipEnabled"),
                reader.duration(SECTION + ".reconnectTotalTimeThreshold", Duration.ofMillis(1), YEAR),
                reader.duration(SECTION + ".connTimeout", Duration.ofMillis(1), Duration.ofHours(1)),
                backoffThreshold,
                minimal,
                reader.doubleInRange(SECTION + ".reconnectBackoffBase", 1.0, 10.0),
                reader.duration(KEEPALIVE + ".interval", Duration.ofSeconds(1), DAY),
                reader.duration(KEEPALIVE + ".timeout", Duration.ofSeconds(1), DAY),
                overrides(reader),
                reader.bool(SECTION + ".fabsim.warmStandby"));
    }

    private static List<AddressOverride> overrides(ConfigReader reader) {
        String key = SECTION + ".addressOverrides";
        List<? extends Config> entries;
        try {
            entries = reader.config().getConfigList(key);
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException(key, "expected a list of { from = host:port, to = host:port, caCertsFile = path }, got "
                    + reader.config().getValue(key).render());
        }
        List<AddressOverride> out = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Config entry = entries.get(i);
            String at = key + "[" + i + "]";
            for (String field : entry.root().keySet()) {
                if (!List.of("from", "to", "caCertsFile").contains(field)) {
                    throw new ConfigException(at + "." + field, "unknown key (expected from, to, caCertsFile)");
                }
            }
            if (!entry.hasPath("from") || !entry.hasPath("to")) {
                throw new ConfigException(at, "expected both from and to (host:port), got " + entry.root().render());
            }
            List<ByteString> certs = List.of();
            if (entry.hasPath("caCertsFile") && !entry.getString("caCertsFile").isBlank()) {
                Path file = reader.baseDir().resolve(entry.getString("caCertsFile")).normalize();
                try {
                    certs = List.of(ByteString.copyFrom(Files.readAllBytes(file)));
                } catch (IOException e) {
                    throw new ConfigException(at + ".caCertsFile", "expected a readable PEM file, got \"" + file + "\" ("
                            + e.getClass().getSimpleName() + ")");
                }
            }
            out.add(new AddressOverride(entry.getString("from"), entry.getString("to"), certs));
        }
        return out;
    }

    /** The backoff function these settings define. */
    public Backoff backoff() {
        return new Backoff(minimalReconnectInterval, reconnectBackoffBase, reConnectBackoffThreshold);
    }

    /** A copy with other backoff settings: first sleep, largest sleep, total before an elected leader gives up. */
    public DeliverClientConfig withBackoff(Duration minimal, Duration threshold, Duration totalThreshold) {
        return new DeliverClientConfig(blockGossipEnabled, totalThreshold, connTimeout, threshold, minimal,
                reconnectBackoffBase, keepaliveInterval, keepaliveTimeout, addressOverrides, warmStandby);
    }

    /** A copy with these {@code addressOverrides}. */
    public DeliverClientConfig withAddressOverrides(List<AddressOverride> overrides) {
        return new DeliverClientConfig(blockGossipEnabled, reconnectTotalTimeThreshold, connTimeout, reConnectBackoffThreshold,
                minimalReconnectInterval, reconnectBackoffBase, keepaliveInterval, keepaliveTimeout, overrides, warmStandby);
    }

    /** A copy with {@code warmStandby} set (peer-node turns it off in the fabric-exact profile). */
    public DeliverClientConfig withWarmStandby(boolean enabled) {
        return new DeliverClientConfig(blockGossipEnabled, reconnectTotalTimeThreshold, connTimeout, reConnectBackoffThreshold,
                minimalReconnectInterval, reconnectBackoffBase, keepaliveInterval, keepaliveTimeout, addressOverrides,
                enabled);
    }
}
