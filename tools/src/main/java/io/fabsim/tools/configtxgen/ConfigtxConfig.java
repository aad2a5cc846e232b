package io.fabsim.tools.configtxgen;

import io.fabsim.common.config.ConfigException;
import io.fabsim.common.config.ConfigReader;
import io.fabsim.common.config.HostPort;
import io.fabsim.common.configtx.BatchSize;
import io.fabsim.common.time.GoDurations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The configtxgen input ({@code conf/configtx.conf}), mirroring Fabric's {@code configtx.yaml}:
 * {@code Organizations.<key> {Name, ID, MSPDir, OrdererEndpoints}} and
 * {@code Profiles.<name> {Orderer {OrdererType, BatchTimeout, BatchSize {MaxMessageCount,
 * AbsoluteMaxBytes, PreferredMaxBytes}, Addresses, EtcdRaft.Consenters, Organizations},
 * Application {Organizations}}}. Profiles name organizations by their key. Relative MSPDir and
 * certificate paths are resolved against the crypto directory: {@code --cryptoDir} when given,
 * else the optional top-level {@code CryptoDir} (relative to the config file), else the config
 * file's directory (Fabric's rule).
 */
public record ConfigtxConfig(Map<String, OrganizationSpec> organizations, Map<String, ProfileSpec> profiles) {

    private static final Set<String> ORG_KEYS = Set.of("Name", "ID", "MSPDir", "OrdererEndpoints");
    private static final Set<String> PROFILE_KEYS = Set.of("Orderer", "Application");
    private static final Set<String> ORDERER_KEYS = Set.of("OrdererType", "BatchTimeout", "BatchSize", "Organizations",
            "Addresses", "EtcdRaft");
    private static final Set<String> BATCH_KEYS = Set.of("MaxMessageCount", "AbsoluteMaxBytes", "PreferredMaxBytes");
    private static final Set<String> CONSENTER_KEYS = Set.of("Host", "Port", "ClientTLSCert", "ServerTLSCert");

    /** One organization: its config-group name, MSP id, MSP folder and (orderer orgs) endpoints. */
    public record OrganizationSpec(String key, String name, String mspId, Path mspDir, List<HostPort> ordererEndpoints) {
        public OrganizationSpec withOrdererEndpoints(List<HostPort> endpoints) {
            return new OrganizationSpec(key, name, mspId, mspDir, endpoints);
        }
    }

    /** An etcdraft consenter (host, port, TLS certificate files). */
    public record ConsenterSpec(HostPort address, Path clientTlsCert, Path serverTlsCert) {
    }

    /** The orderer section of a profile. */
    public record OrdererSpec(String type, Duration batchTimeout, BatchSize batchSize, List<String> organizations,
                              List<HostPort> addresses, List<ConsenterSpec> consenters) {
    }

    /** One profile: the orderer section and the application organizations. */
    public record ProfileSpec(String name, OrdererSpec orderer, List<String> applicationOrganizations) {
    }

    /**
     * Reads and validates the whole file.
     *
     * @param cryptoBase where relative MSPDir and certificate paths start ({@code --cryptoDir});
     *        when empty, {@code CryptoDir} or the config file's directory
     */
    public static ConfigtxConfig from(ConfigReader reader, Optional<Path> cryptoBase) {
        Path base = cryptoBase.map(p -> p.toAbsolutePath().normalize())
                .orElseGet(() -> reader.optionalPath("CryptoDir").orElse(reader.baseDir()));
        Map<String, OrganizationSpec> orgs = new LinkedHashMap<>();
        for (String key : keys(reader, "Organizations")) {
            String path = "Organizations." + key;
            checkKeys(reader, path, ORG_KEYS);
            String mspDir = reader.nonEmptyString(path + ".MSPDir");
            orgs.put(key, new OrganizationSpec(key, reader.nonEmptyString(path + ".Name"), reader.nonEmptyString(path + ".ID"),
                    base.resolve(mspDir).normalize(), hostPorts(reader, path + ".OrdererEndpoints")));
        }
        Map<String, ProfileSpec> profiles = new LinkedHashMap<>();
        for (String name : keys(reader, "Profiles")) {
            String path = "Profiles." + name;
            checkKeys(reader, path, PROFILE_KEYS);
            OrdererSpec orderer = orderer(reader, path + ".Orderer", orgs, base);
            List<String> application = reader.has(path + ".Application.Organizations")
                    ? orgRefs(reader, path + ".Application.Organizations", orgs) : List.of();
            if (reader.has(path + ".Application")) {
                checkKeys(reader, path + ".Application", Set.of("Organizations"));
            }
            profiles.put(name, new ProfileSpec(name, orderer, application));
        }
        return new ConfigtxConfig(Map.copyOf(orgs), Map.copyOf(profiles));
    }

    /** The profile of that name, or a {@link ConfigException} listing the known ones. */
    public ProfileSpec profile(String name) {
        ProfileSpec profile = profiles.get(name);
        if (profile == null) {
            throw new ConfigException("Profiles." + name, "no such profile; known profiles: " + new TreeSet<>(profiles.keySet()));
        }
        return profile;
    }

    /**
     * This config with the orderer endpoints of profile {@code profileName} replaced, for
     * launchers that choose ports at run time. Each entry is {@code host:port} (the profile must
     * then have exactly one orderer org) or {@code OrgKey=host:port}. The profile's global
     * {@code Addresses}, when it has any, become the full list.
     */
    public ConfigtxConfig withOrdererEndpoints(String profileName, List<String> entries) {
        ProfileSpec profile = profile(profileName);
        if (entries.isEmpty()) {
            return this;
        }
        List<String> ordererOrgs = profile.orderer().organizations();
        Map<String, List<HostPort>> byOrg = new LinkedHashMap<>();
        List<HostPort> all = new ArrayList<>();
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            String orgKey = eq < 0 ? null : entry.substring(0, eq);
            if (orgKey == null && ordererOrgs.size() != 1) {
                throw new ConfigException("--ordererEndpoint", "profile " + profileName + " has orderer organizations "
                        + ordererOrgs + "; write OrgKey=host:port, got \"" + entry + "\"");
            }
            String org = orgKey == null ? ordererOrgs.get(0) : orgKey;
            if (!ordererOrgs.contains(org)) {
                throw new ConfigException("--ordererEndpoint", "expected an orderer organization of profile " + profileName
                        + " " + ordererOrgs + ", got \"" + org + "\"");
            }
            HostPort address;
            try {
                address = HostPort.parse(entry.substring(eq + 1));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("--ordererEndpoint", "expected [OrgKey=]host:port, got \"" + entry + "\"");
            }
            byOrg.computeIfAbsent(org, k -> new ArrayList<>()).add(address);
            all.add(address);
        }
        Map<String, OrganizationSpec> orgs = new LinkedHashMap<>(organizations);
        byOrg.forEach((key, endpoints) -> orgs.put(key, orgs.get(key).withOrdererEndpoints(endpoints)));
        OrdererSpec o = profile.orderer();
        OrdererSpec orderer = new OrdererSpec(o.type(), o.batchTimeout(), o.batchSize(), o.organizations(),
                o.addresses().isEmpty() ? o.addresses() : all, o.consenters());
        Map<String, ProfileSpec> profiles = new LinkedHashMap<>(this.profiles);
        profiles.put(profileName, new ProfileSpec(profileName, orderer, profile.applicationOrganizations()));
        return new ConfigtxConfig(Map.copyOf(orgs), Map.copyOf(profiles));
    }

    private static OrdererSpec orderer(ConfigReader reader, String path, Map<String, OrganizationSpec> orgs, Path base) {
        if (!reader.has(path)) {
            throw new ConfigException(path, "missing: a profile needs an Orderer section");
        }
        checkKeys(reader, path, ORDERER_KEYS);
        checkKeys(reader, path + ".BatchSize", BATCH_KEYS);
        String type = reader.nonEmptyString(path + ".OrdererType");
        Duration timeout;
        try {
            timeout = GoDurations.parse(reader.nonEmptyString(path + ".BatchTimeout"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(path + ".BatchTimeout", "expected " + e.getMessage());
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new ConfigException(path + ".BatchTimeout", "expected a positive duration, got " + GoDurations.format(timeout));
        }
        BatchSize batch = new BatchSize(
                reader.intInRange(path + ".BatchSize.MaxMessageCount", 1, Integer.MAX_VALUE),
                (int) FabricSizes.bytes(reader, path + ".BatchSize.AbsoluteMaxBytes"),
                (int) FabricSizes.bytes(reader, path + ".BatchSize.PreferredMaxBytes"));
        if (batch.preferredMaxBytes() > batch.absoluteMaxBytes()) {
            throw new ConfigException(path + ".BatchSize.PreferredMaxBytes", "expected at most AbsoluteMaxBytes ("
                    + batch.absoluteMaxBytes() + "), got " + batch.preferredMaxBytes());
        }
        List<String> members = orgRefs(reader, path + ".Organizations", orgs);
        if (members.isEmpty()) {
            throw new ConfigException(path + ".Organizations", "expected at least one orderer organization, got []");
        }
        return new OrdererSpec(type, timeout, batch, members, hostPorts(reader, path + ".Addresses"),
                consenters(reader, path + ".EtcdRaft", base));
    }

    private static List<ConsenterSpec> consenters(ConfigReader reader, String path, Path base) {
        if (!reader.has(path + ".Consenters")) {
            return List.of();
        }
        checkKeys(reader, path, Set.of("Consenters"));
        List<ConsenterSpec> out = new ArrayList<>();
        List<? extends com.typesafe.config.Config> entries;
        try {
            entries = reader.config().getConfigList(path + ".Consenters");
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException(path + ".Consenters", "expected a list of {Host, Port, ClientTLSCert, ServerTLSCert}");
        }
        for (int i = 0; i < entries.size(); i++) {
            com.typesafe.config.Config one = entries.get(i);
            String at = path + ".Consenters[" + i + "]";
            for (String key : one.root().keySet()) {
                if (!CONSENTER_KEYS.contains(key)) {
                    throw new ConfigException(at + "." + key, "unknown key; expected one of " + new TreeSet<>(CONSENTER_KEYS));
                }
            }
            try {
                out.add(new ConsenterSpec(new HostPort(one.getString("Host"), one.getInt("Port")),
                        base.resolve(one.getString("ClientTLSCert")).normalize(),
                        base.resolve(one.getString("ServerTLSCert")).normalize()));
            } catch (com.typesafe.config.ConfigException | IllegalArgumentException e) {
                throw new ConfigException(at, "expected Host, Port (0-65535), ClientTLSCert and ServerTLSCert: "
                        + e.getMessage());
            }
        }
        return out;
    }

    private static List<String> orgRefs(ConfigReader reader, String path, Map<String, OrganizationSpec> orgs) {
        List<String> refs = reader.has(path) ? reader.strings(path) : List.of();
        for (String ref : refs) {
            if (!orgs.containsKey(ref)) {
                throw new ConfigException(path, "expected organization keys defined under Organizations "
                        + new TreeSet<>(orgs.keySet()) + ", got \"" + ref + "\"");
            }
        }
        return refs;
    }

    private static List<HostPort> hostPorts(ConfigReader reader, String path) {
        if (!reader.has(path)) {
            return List.of();
        }
        List<HostPort> out = new ArrayList<>();
        for (String s : reader.strings(path)) {
            try {
                out.add(HostPort.parse(s));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(path, "expected host:port entries, got \"" + s + "\"");
            }
        }
        return out;
    }

    private static Set<String> keys(ConfigReader reader, String path) {
        if (!reader.has(path)) {
            throw new ConfigException(path, "missing: expected an object of named entries");
        }
        try {
            return new TreeSet<>(reader.config().getObject(path).keySet());
        } catch (com.typesafe.config.ConfigException.WrongType e) {
            throw new ConfigException(path, "expected an object of named entries, got " + reader.config().getValue(path).render());
        }
    }

    private static void checkKeys(ConfigReader reader, String path, Set<String> allowed) {
        if (!reader.has(path)) {
            return;
        }
        for (String key : keys(reader, path)) {
            if (!allowed.contains(key)) {
                throw new ConfigException(path + "." + key, "unknown key; expected one of " + new TreeSet<>(allowed));
            }
        }
    }
}
