package io.fabsim.cli.network;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The network namespaces, links and addresses of one network in netns mode, chosen before anything
 * is created and recorded in {@code network.json} so that {@code network down} deletes exactly
 * them, even after a crash half-way through {@code network up}.
 *
 * <p>One private /24, {@code 10.213.S.0/24}, per network: {@code S} comes from a hash of the
 * network directory, moved on while a route of this host overlaps it (another running network
 * among them). The root namespace holds a bridge {@code fsXXbr} with {@code 10.213.S.1}; the
 * orderers bind there. Each peer gets a namespace {@code fsXX-<node>} and a veth pair: the host end
 * {@code fsXXh<i>} on the bridge, the namespace end {@code fsXXn<i>} with {@code 10.213.S.(10+i)}.
 * {@code XX} is {@code S} in hex, so two networks never share a name. Every name starts with
 * {@code fs} and every interface name has at most 15 characters (the kernel's limit).
 */
public record NetnsLayout(int subnet, String bridge, String bridgeAddress, List<Slot> slots) {

    /** One peer's place: its namespace, the two ends of its veth pair, and its address. */
    public record Slot(String node, String namespace, String hostVeth, String namespaceVeth, String address) {
    }

    /** First octets of every subnet; the third comes from the directory. */
    static final String NET = "10.213.";
    static final int PREFIX_LENGTH = 24;
    static final int FIRST_PEER_HOST = 10;
    static final int MAX_PEERS = 254 - FIRST_PEER_HOST;
    static final int MAX_INTERFACE_NAME = 15;

    /**
     * Chooses the subnet for {@code dir} avoiding {@code routes} (destinations as printed by
     * {@code ip -4 route show table all}, e.g. {@code 10.213.7.0/24}, {@code 192.0.2.1}) and any
     * subnet one of whose names is in {@code existingNames} (links and namespaces of this host, e.g.
     * a bridge left without its address by a crash), and names every link and namespace of {@code peers}.
     */
    public static NetnsLayout choose(Path dir, List<String> peers, List<String> routes, Set<String> existingNames) {
        if (peers.size() > MAX_PEERS) {
            throw new IllegalArgumentException("netns mode: at most " + MAX_PEERS + " peers per network, got " + peers.size());
        }
        int start = Math.floorMod(dir.toAbsolutePath().normalize().toString().hashCode(), 254) + 1;
        for (int i = 0; i < 254; i++) {
            int subnet = (start - 1 + i) % 254 + 1;
            NetnsLayout layout = of(subnet, peers);
            if (routes.stream().noneMatch(r -> overlaps(r, subnet)) && layout.names().stream().noneMatch(existingNames::contains)) {
                return layout;
            }
        }
        throw new IllegalStateException("netns mode: every subnet " + NET + "1-254.0/24 overlaps a route of this host");
    }

    /** The layout for subnet {@code 10.213.<subnet>.0/24}. */
    static NetnsLayout of(int subnet, List<String> peers) {
        if (subnet < 1 || subnet > 254) {
            throw new IllegalArgumentException("subnet octet: expected 1 to 254, got " + subnet);
        }
        String id = prefix(subnet);
        List<Slot> slots = new ArrayList<>();
        for (int i = 0; i < peers.size(); i++) {
            slots.add(new Slot(peers.get(i), id + "-" + peers.get(i), id + "h" + i, id + "n" + i,
                    NET + subnet + "." + (FIRST_PEER_HOST + i)));
        }
        return new NetnsLayout(subnet, id + "br", NET + subnet + ".1", List.copyOf(slots));
    }

    /** {@code fs} and the subnet octet in two hex digits: the prefix of every name of this network. */
    static String prefix(int subnet) {
        return "fs" + String.format(Locale.ROOT, "%02x", subnet);
    }

    public Optional<Slot> slot(String node) {
        return slots.stream().filter(s -> s.node().equals(node)).findFirst();
    }

    /** {@code 10.213.S.0/24}. */
    public String cidr() {
        return NET + subnet + ".0/" + PREFIX_LENGTH;
    }

    /**
     * True when the route destination {@code route} ({@code a.b.c.d} or {@code a.b.c.d/n}) shares an
     * address with {@code 10.213.<subnet>.0/24}. {@code default} and anything unparsable do not count:
     * the default route leads out of the host, and ours are more specific.
     */
    static boolean overlaps(String route, int subnet) {
        Optional<long[]> parsed = parse(route);
        if (parsed.isEmpty()) {
            return false;
        }
        long address = parsed.get()[0];
        int length = (int) parsed.get()[1];
        if (length == 0) {
            return false;
        }
        long ours = ((10L << 24) | (213L << 16) | ((long) subnet << 8));
        int common = Math.min(length, PREFIX_LENGTH);
        long mask = (0xFFFFFFFFL << (32 - common)) & 0xFFFFFFFFL;
        return (address & mask) == (ours & mask);
    }

    /** {@code a.b.c.d[/n]} as {address, length}; empty when it is not one. */
    private static Optional<long[]> parse(String route) {
        String[] parts = route.trim().split("/", 2);
        String[] octets = parts[0].split("\\.");
        if (octets.length != 4) {
            return Optional.empty();
        }
        try {
            long address = 0;
            for (String o : octets) {
                int v = Integer.parseInt(o);
                if (v < 0 || v > 255) {
                    return Optional.empty();
                }
                address = (address << 8) | v;
            }
            int length = parts.length == 2 ? Integer.parseInt(parts[1]) : 32;
            return length < 0 || length > 32 ? Optional.empty() : Optional.of(new long[] {address, length});
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The bridge, the host ends of the veth pairs and the namespaces: every name this layout creates in the root namespace. */
    List<String> names() {
        List<String> names = new ArrayList<>(List.of(bridge));
        slots.forEach(s -> names.addAll(List.of(s.hostVeth(), s.namespace())));
        return names;
    }

    /** Checks the kernel's limits on names; a layout that passes can be created. */
    void checkNames() {
        List<String> names = new ArrayList<>(List.of(bridge));
        slots.forEach(s -> names.addAll(List.of(s.hostVeth(), s.namespaceVeth())));
        for (String n : names) {
            if (n.length() > MAX_INTERFACE_NAME || !n.startsWith("fs")) {
                throw new IllegalStateException("interface name \"" + n + "\": expected fs... of at most "
                        + MAX_INTERFACE_NAME + " characters");
            }
        }
        for (Slot s : slots) {
            if (s.namespace().contains("/") || s.namespace().length() > 200) {
                throw new IllegalStateException("namespace name \"" + s.namespace() + "\": expected no '/' and at most 200 characters");
            }
        }
    }

    /**
     * The destinations in the output of {@code ip -4 route show table all}: the first word of each
     * line, or the second when the first is a route type ({@code local 10.213.7.1 dev ...}).
     */
    static List<String> destinations(String ipRouteOutput) {
        List<String> result = new ArrayList<>();
        for (String line : ipRouteOutput.split("\n")) {
            String[] words = line.trim().split("\\s+");
            if (words.length == 0 || words[0].isEmpty()) {
                continue;
            }
            String destination = ROUTE_TYPES.contains(words[0]) && words.length > 1 ? words[1] : words[0];
            result.add(destination);
        }
        return result;
    }

    private static final Set<String> ROUTE_TYPES = Set.of("local", "broadcast", "unicast", "multicast", "anycast",
            "unreachable", "blackhole", "prohibit", "throw", "nat");
}
