package io.fabsim.deliver;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import io.fabsim.common.protoutil.BlockHashing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The orderer endpoints of one channel (Fabric's {@code orderers.ConnectionSource}). An update that
 * changes any address or CA replaces every endpoint and marks the old ones refreshed, so a client
 * reading from one of them reconnects at once (and spreads over the new set).
 */
final class ConnectionSource {

    private static final Logger log = LoggerFactory.getLogger(ConnectionSource.class);

    /** An endpoint as handed out; {@link #refreshed()} turns true when a config update replaced it. */
    static final class Endpoint {
        private final OrdererEndpoint endpoint;
        private volatile boolean refreshed;

        Endpoint(OrdererEndpoint endpoint) {
            this.endpoint = endpoint;
        }

        OrdererEndpoint endpoint() {
            return endpoint;
        }

        String address() {
            return endpoint.address();
        }

        boolean refreshed() {
            return refreshed;
        }

        @Override
        public String toString() {
            return endpoint.address();
        }
    }

    private final RandomGenerator random;
    private final Object lock = new Object();
    private List<Endpoint> endpoints = List.of();
    private Map<String, byte[]> orgHashes = Map.of();

    private final Map<String, AddressOverride> overrides;

    ConnectionSource(RandomGenerator random) {
        this(random, List.of());
    }

    ConnectionSource(RandomGenerator random, List<AddressOverride> overrides) {
        this.random = random;
        Map<String, AddressOverride> byFrom = new HashMap<>();
        overrides.forEach(o -> byFrom.put(o.from(), o));
        this.overrides = Map.copyOf(byFrom);
    }

    /**
     * A random endpoint; when there is more than one, never {@code avoid} (the address that just
     * failed). Empty when no endpoint is defined.
     */
    Optional<Endpoint> randomEndpoint(String avoid) {
        List<Endpoint> all;
        synchronized (lock) {
            all = endpoints;
        }
        if (all.isEmpty()) {
            return Optional.empty();
        }
        List<Endpoint> candidates = all;
        if (avoid != null && all.size() > 1) {
            candidates = all.stream().filter(e -> !e.address().equals(avoid)).toList();
            if (candidates.isEmpty()) {
                candidates = all;
            }
        }
        return Optional.of(candidates.get(random.nextInt(candidates.size())));
    }

    /** The current endpoint with this address (after overrides), if there is one. */
    Optional<Endpoint> find(String address) {
        synchronized (lock) {
            return endpoints.stream().filter(e -> e.address().equals(address)).findFirst();
        }
    }

    List<OrdererEndpoint> endpoints() {
        synchronized (lock) {
            return endpoints.stream().map(Endpoint::endpoint).toList();
        }
    }

    /** Applies the endpoints of a channel config; returns whether anything changed (and so was refreshed). */
    boolean update(OrdererAddresses addresses) {
        synchronized (lock) {
            Map<String, byte[]> newHashes = new HashMap<>();
            boolean anyChange = false;
            boolean hasOrgEndpoints = false;
            for (Map.Entry<String, OrdererAddresses.Org> e : addresses.orgs().entrySet()) {
                hasOrgEndpoints |= !e.getValue().addresses().isEmpty();
                byte[] hash = orgHash(e.getValue());
                newHashes.put(e.getKey(), hash);
                byte[] last = orgHashes.get(e.getKey());
                anyChange |= last == null || !Arrays.equals(last, hash);
            }
            for (String org : orgHashes.keySet()) {
                anyChange |= !addresses.orgs().containsKey(org);
            }
            orgHashes = newHashes;
            List<String> global = addresses.globalAddresses();
            if (hasOrgEndpoints && !global.isEmpty()) {
                log.warn("Config defines both orderer org specific endpoints and global endpoints, global endpoints will be ignored");
            }
            if (!hasOrgEndpoints && !anyChange) {
                Set<String> old = new HashSet<>();
                endpoints.forEach(ep -> old.add(ep.address()));
                anyChange = global.size() != endpoints.size() || !old.containsAll(global);
            }
            if (!anyChange) {
                log.debug("No orderer endpoint addresses or TLS certs were changed");
                return false;
            }
            endpoints.forEach(ep -> ep.refreshed = true);
            endpoints = build(addresses, hasOrgEndpoints);
            log.info("Orderer endpoints updated: {}", endpoints);
            return true;
        }
    }

    private Endpoint endpoint(String address, List<ByteString> certs) {
        AddressOverride override = overrides.get(address);
        if (override == null) {
            return new Endpoint(new OrdererEndpoint(address, certs));
        }
        log.debug("Overriding orderer endpoint {} with {}", address, override.to());
        return new Endpoint(new OrdererEndpoint(override.to(), override.caCerts().isEmpty() ? certs : override.caCerts()));
    }

    private List<Endpoint> build(OrdererAddresses addresses, boolean hasOrgEndpoints) {
        List<Endpoint> built = new ArrayList<>();
        if (hasOrgEndpoints) {
            for (OrdererAddresses.Org org : addresses.orgs().values()) {
                for (String address : org.addresses()) {
                    built.add(endpoint(address, org.tlsRootCerts()));
                }
            }
            return List.copyOf(built);
        }
        List<ByteString> allCerts = new ArrayList<>();
        addresses.orgs().values().forEach(org -> allCerts.addAll(org.tlsRootCerts()));
        for (String address : addresses.globalAddresses()) {
            built.add(endpoint(address, allCerts));
        }
        return List.copyOf(built);
    }

    private static byte[] orgHash(OrdererAddresses.Org org) {
        MessageDigest digest = BlockHashing.newSha256();
        org.tlsRootCerts().forEach(cert -> digest.update(cert.asReadOnlyByteBuffer()));
        org.addresses().forEach(address -> digest.update(address.getBytes(StandardCharsets.UTF_8)));
        return digest.digest();
    }
}
