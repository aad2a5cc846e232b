package io.fabsim.cli.network;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.fabsim.common.config.ConfigException;
import io.fabsim.common.config.ConfigLoader;
import io.fabsim.common.config.ConfigReader;
import io.fabsim.election.ElectionAlgorithm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A network description ({@code conf/network.conf}): organizations, peers and their delivery mode,
 * orderers and followers, channels, block cutting and built-in load. Validated on load; every error
 * names the key, the value and what was expected.
 */
public record NetworkSpec(
        String host,
        OrdererOrg ordererOrg,
        List<Orderer> orderers,
        List<Org> orgs,
        List<Channel> channels,
        boolean tls,
        boolean mutualTls,
        Duration batchTimeout,
        int maxMessageCount,
        int loadRate,
        int loadTxSize,
        Duration startTimeout,
        String javaOpts,
        boolean netns,
        LoadKind loadKind) {

    /** What the built-in load sends ({@code network.load.kind}). */
    public enum LoadKind { MESSAGE, ENDORSER }

    /** With MESSAGE load. */
    public NetworkSpec(String host, OrdererOrg ordererOrg, List<Orderer> orderers, List<Org> orgs, List<Channel> channels,
                       boolean tls, boolean mutualTls, Duration batchTimeout, int maxMessageCount, int loadRate,
                       int loadTxSize, Duration startTimeout, String javaOpts, boolean netns) {
        this(host, ordererOrg, orderers, orgs, channels, tls, mutualTls, batchTimeout, maxMessageCount, loadRate,
                loadTxSize, startTimeout, javaOpts, netns, LoadKind.MESSAGE);
    }

    /** A network on the host's own network (no namespaces). */
    public NetworkSpec(String host, OrdererOrg ordererOrg, List<Orderer> orderers, List<Org> orgs, List<Channel> channels,
                       boolean tls, boolean mutualTls, Duration batchTimeout, int maxMessageCount, int loadRate,
                       int loadTxSize, Duration startTimeout, String javaOpts) {
        this(host, ordererOrg, orderers, orgs, channels, tls, mutualTls, batchTimeout, maxMessageCount, loadRate,
                loadTxSize, startTimeout, javaOpts, false);
    }

    /** This network with each peer in its own network namespace ({@code network.netns}) or not. */
    public NetworkSpec withNetns(boolean inNamespaces) {
        return new NetworkSpec(host, ordererOrg, orderers, orgs, channels, tls, mutualTls, batchTimeout, maxMessageCount,
                loadRate, loadTxSize, startTimeout, javaOpts, inNamespaces, loadKind);
    }

    /** This network with other block cutting and load: {@code loadRate} transactions a second. */
    public NetworkSpec withLoad(Duration cutAfter, int messagesPerBlock, int txPerSecond) {
        return new NetworkSpec(host, ordererOrg, orderers, orgs, channels, tls, mutualTls, cutAfter, messagesPerBlock,
                txPerSecond, loadTxSize, startTimeout, javaOpts, netns, loadKind);
    }

    /**
     * How a peer gets blocks for its channels: ELECTION (the elected leader streams from the orderer
     * and gossips), STATIC (an org leader by configuration: streams and gossips), RAW (streams from
     * the orderer itself with gossip off: no org peers, no block gossip, no state transfer; a
     * benchmark's baseline), NONE (from org peers only).
     */
    public enum Mode { ELECTION, STATIC, RAW, NONE }

    public record OrdererOrg(String name, String mspId, String domain) {
    }

    public record Orderer(String name, Optional<String> followerOf) {
    }

    public record Peer(String name, Mode mode) {
    }

    /** An organization; {@code electionAlgorithm} is what its election peers elect with. */
    public record Org(String name, String mspId, String domain, List<Peer> peers, ElectionAlgorithm electionAlgorithm) {

        /** An org electing with JGroups (the default). */
        public Org(String name, String mspId, String domain, List<Peer> peers) {
            this(name, mspId, domain, peers, ElectionAlgorithm.JGROUPS);
        }

        /** This org with its election peers electing by {@code algorithm}. */
        public Org withElectionAlgorithm(ElectionAlgorithm algorithm) {
            return new Org(name, mspId, domain, peers, algorithm);
        }

        /** Short org label used in process names: the first label of the domain ({@code org1}). */
        public String shortName() {
            int dot = domain.indexOf('.');
            return dot < 0 ? domain : domain.substring(0, dot);
        }
    }

    public record Channel(String name, List<String> orgs) {
    }

    public static NetworkSpec load(Path file) {
        Config reference = ConfigFactory.parseResources(NetworkSpec.class.getClassLoader(), "network-defaults.conf");
        ConfigReader reader = ConfigLoader.load(reference, Optional.of(file), Map.of(), List.of());
        return from(reader);
    }

    public static NetworkSpec fromString(String hocon) {
        Config reference = ConfigFactory.parseResources(NetworkSpec.class.getClassLoader(), "network-defaults.conf");
        return from(ConfigLoader.fromString(reference, hocon));
    }

    static NetworkSpec from(ConfigReader r) {
        r.rejectUnknownKeys("network", "network.orderers", "network.orgs", "network.channels");
        OrdererOrg ordererOrg = new OrdererOrg(r.nonEmptyString("network.ordererOrg.name"),
                r.nonEmptyString("network.ordererOrg.mspId"), r.nonEmptyString("network.ordererOrg.domain"));
        List<Orderer> orderers = orderers(r.config());
        List<Org> orgs = orgs(r.config());
        List<Channel> channels = channels(r.config(), orgs);
        return new NetworkSpec(r.nonEmptyString("network.host"), ordererOrg, orderers, orgs, channels,
                r.bool("network.tls.enabled"), r.bool("network.tls.clientAuthRequired"),
                r.duration("network.batch.timeout", Duration.ofMillis(1), Duration.ofMinutes(10)),
                r.intInRange("network.batch.maxMessageCount", 1, 10_000),
                r.intInRange("network.load.rate", 0, 100_000),
                r.intInRange("network.load.txSize", 1, 64 * 1024 * 1024),
                r.duration("network.startTimeout", Duration.ofSeconds(1), Duration.ofHours(1)),
                r.string("network.javaOpts"), r.bool("network.netns"), r.enumValue("network.load.kind", LoadKind.class));
    }

    public Optional<Org> org(String name) {
        return orgs.stream().filter(o -> o.name.equals(name)).findFirst();
    }

    private static List<Orderer> orderers(Config c) {
        List<Orderer> result = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<? extends Config> list = c.getConfigList("network.orderers");
        for (int i = 0; i < list.size(); i++) {
            String at = "network.orderers[" + i + "]";
            Config o = list.get(i);
            rejectUnknown(o, at, "name", "followerOf");
            String name = requireName(o, at);
            if (!names.add(name)) {
                throw new ConfigException(at + ".name", "expected a unique orderer name, got \"" + name + "\" twice");
            }
            Optional<String> source = o.hasPath("followerOf") ? Optional.of(o.getString("followerOf")) : Optional.empty();
            result.add(new Orderer(name, source));
        }
        if (result.isEmpty()) {
            throw new ConfigException("network.orderers", "expected at least one orderer, got []");
        }
        for (int i = 0; i < result.size(); i++) {
            Optional<String> source = result.get(i).followerOf();
            if (source.isPresent() && (!names.contains(source.get()) || source.get().equals(result.get(i).name()))) {
                throw new ConfigException("network.orderers[" + i + "].followerOf",
                        "expected the name of another orderer " + names + ", got \"" + source.get() + "\"");
            }
        }
        if (result.stream().allMatch(o -> o.followerOf().isPresent())) {
            throw new ConfigException("network.orderers", "expected at least one orderer that is not a follower");
        }
        return List.copyOf(result);
    }

    private static List<Org> orgs(Config c) {
        List<Org> result = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<? extends Config> list = c.getConfigList("network.orgs");
        for (int i = 0; i < list.size(); i++) {
            String at = "network.orgs[" + i + "]";
            Config o = list.get(i);
            rejectUnknown(o, at, "name", "mspId", "domain", "peers", "electionAlgorithm");
            String name = requireName(o, at);
            if (!names.add(name)) {
                throw new ConfigException(at + ".name", "expected a unique org name, got \"" + name + "\" twice");
            }
            List<Peer> peers = new ArrayList<>();
            List<? extends Config> peerList = o.hasPath("peers") ? o.getConfigList("peers") : List.of();
            Set<String> peerNames = new HashSet<>();
            for (int j = 0; j < peerList.size(); j++) {
                String pat = at + ".peers[" + j + "]";
                rejectUnknown(peerList.get(j), pat, "name", "mode");
                String peerName = requireName(peerList.get(j), pat);
                if (!peerNames.add(peerName)) {
                    throw new ConfigException(pat + ".name", "expected a unique peer name, got \"" + peerName + "\" twice");
                }
                String mode = peerList.get(j).hasPath("mode") ? peerList.get(j).getString("mode") : "election";
                peers.add(new Peer(peerName, mode(pat + ".mode", mode)));
            }
            if (peers.isEmpty()) {
                throw new ConfigException(at + ".peers", "expected at least one peer, got []");
            }
            result.add(new Org(name, string(o, "mspId", at), string(o, "domain", at), List.copyOf(peers),
                    algorithm(at + ".electionAlgorithm",
                            o.hasPath("electionAlgorithm") ? o.getString("electionAlgorithm") : "jgroups")));
        }
        if (result.isEmpty()) {
            throw new ConfigException("network.orgs", "expected at least one organization, got []");
        }
        return List.copyOf(result);
    }

    private static List<Channel> channels(Config c, List<Org> orgs) {
        List<Channel> result = new ArrayList<>();
        List<? extends Config> list = c.getConfigList("network.channels");
        Set<String> orgNames = new HashSet<>();
        orgs.forEach(o -> orgNames.add(o.name()));
        for (int i = 0; i < list.size(); i++) {
            String at = "network.channels[" + i + "]";
            rejectUnknown(list.get(i), at, "name", "orgs");
            String name = requireName(list.get(i), at);
            if (!name.matches("[a-z][a-z0-9.-]*")) {
                throw new ConfigException(at + ".name", "expected a Fabric channel name ([a-z][a-z0-9.-]*), got \"" + name + "\"");
            }
            List<String> members = list.get(i).hasPath("orgs") ? list.get(i).getStringList("orgs") : List.copyOf(orgNames);
            for (String m : members) {
                if (!orgNames.contains(m)) {
                    throw new ConfigException(at + ".orgs", "expected names of orgs " + orgNames + ", got \"" + m + "\"");
                }
            }
            result.add(new Channel(name, List.copyOf(members)));
        }
        if (result.isEmpty()) {
            throw new ConfigException("network.channels", "expected at least one channel, got []");
        }
        return List.copyOf(result);
    }

    private static Mode mode(String path, String value) {
        try {
            return Mode.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(path, "expected one of [election, static, raw, none], got \"" + value + "\"");
        }
    }

    private static ElectionAlgorithm algorithm(String path, String value) {
        try {
            return ElectionAlgorithm.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(path, "expected one of [jgroups, fabric], got \"" + value + "\"");
        }
    }

    /** An entry of a list (orderer, org, peer, channel) with a key it does not have is refused, naming the key. */
    private static void rejectUnknown(Config entry, String at, String... known) {
        Set<String> allowed = Set.of(known);
        for (String key : new java.util.TreeSet<>(entry.root().keySet())) {
            if (!allowed.contains(key)) {
                throw new ConfigException(at + "." + key, "unknown key (value " + entry.root().get(key).render()
                        + "): expected only " + List.of(known));
            }
        }
    }

    private static String requireName(Config o, String at) {
        String name = string(o, "name", at);
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9_-]*")) {
            throw new ConfigException(at + ".name", "expected letters, digits, '-' or '_', got \"" + name + "\"");
        }
        return name;
    }

    private static String string(Config o, String key, String at) {
        if (!o.hasPath(key) || o.getString(key).isBlank()) {
            throw new ConfigException(at + "." + key, "missing: expected a non-empty string");
        }
        return o.getString(key);
    }
}
