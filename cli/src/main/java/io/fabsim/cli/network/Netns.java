package io.fabsim.cli.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Creates and deletes the bridge, network namespaces and veth pairs of a {@link NetnsLayout} with
 * {@code ip} (iproute2), and cuts or restores one peer's link. It only ever names links and
 * namespaces of a layout, all called {@code fs...}: interfaces it did not create are never touched.
 * Needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN).
 */
public final class Netns {

    private static final List<Path> IP_CANDIDATES = List.of(Path.of("/usr/sbin/ip"), Path.of("/sbin/ip"),
            Path.of("/usr/bin/ip"), Path.of("/bin/ip"));

    private final String ip;
    private final CommandRunner runner;

    public Netns(String ip, CommandRunner runner) {
        this.ip = ip;
        this.runner = runner;
    }

    /** {@code ip} from its usual places (or the PATH), run as child processes. */
    public static Netns system() {
        return new Netns(ipExecutable().map(Path::toString).orElse("ip"), CommandRunner.system());
    }

    static Optional<Path> ipExecutable() {
        return IP_CANDIDATES.stream().filter(Files::isExecutable).findFirst();
    }

    /**
     * Empty when this process can build namespaces (root, {@code ip} present, and a probe namespace
     * can be created and deleted), else why not.
     */
    public static Optional<String> unavailableReason() {
        if (!isRoot()) {
            return Optional.of("network namespaces need root (this process runs as uid " + uid().orElse("?") + ")");
        }
        if (ipExecutable().isEmpty()) {
            return Optional.of("network namespaces need iproute2's ip command; none found in " + IP_CANDIDATES);
        }
        Netns netns = system();
        String probe = "fsprobe" + ProcessHandle.current().pid();
        try {
            CommandRunner.Result add = netns.runner.run(List.of(netns.ip, "netns", "add", probe));
            if (!add.ok()) {
                return Optional.of("cannot create a network namespace (ip netns add " + probe + "): " + add.output());
            }
            CommandRunner.Result del = netns.runner.run(List.of(netns.ip, "netns", "del", probe));
            return del.ok() ? Optional.empty()
                    : Optional.of("cannot delete network namespace " + probe + ": " + del.output());
        } catch (IOException e) {
            return Optional.of("cannot run " + netns.ip + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while probing network namespaces");
        }
    }

    /** Chooses a free subnet and names for {@code peers} of the network in {@code dir}. */
    public NetnsLayout choose(Path dir, List<String> peers) throws IOException, InterruptedException {
        String routes = check(List.of(ip, "-4", "route", "show", "table", "all")).output();
        Set<String> names = new HashSet<>(linkNames(check(List.of(ip, "-o", "link", "show")).output()));
        names.addAll(namespaceNames(check(List.of(ip, "netns", "list")).output()));
        return NetnsLayout.choose(dir, peers, NetnsLayout.destinations(routes), names);
    }

    /** Creates the bridge and, per peer, its namespace and veth pair; the first failure throws, naming the command. */
    public void create(NetnsLayout layout) throws IOException, InterruptedException {
        layout.checkNames();
        for (List<String> command : createCommands(layout)) {
            check(command);
        }
    }

    /**
     * Deletes every namespace, veth pair and the bridge of {@code layout} that exists; missing ones
     * are fine (down twice, or a crash before they were made). Returns what could not be deleted.
     */
    public List<String> delete(NetnsLayout layout) throws InterruptedException {
        List<String> problems = new ArrayList<>();
        for (NetnsLayout.Slot s : layout.slots()) {
            // Deleting the namespace destroys its veth end and with it the pair; the host end goes too.
            deleteIfPresent(List.of(ip, "netns", "del", s.namespace()), () -> namespaceExists(s.namespace()), problems);
            deleteIfPresent(List.of(ip, "link", "del", "dev", s.hostVeth()), () -> linkExists(s.hostVeth()), problems);
        }
        deleteIfPresent(List.of(ip, "link", "del", "dev", layout.bridge()), () -> linkExists(layout.bridge()), problems);
        return problems;
    }

    /** Cuts {@code slot}'s peer off the bridge: no packet in or out (the orderers are cut off too). */
    public void cut(NetnsLayout.Slot slot) throws IOException, InterruptedException {
        check(linkCommand(slot, "down"));
    }

    /** Puts {@code slot}'s peer back on the bridge. */
    public void restore(NetnsLayout.Slot slot) throws IOException, InterruptedException {
        check(linkCommand(slot, "up"));
    }

    /**
     * Slows {@code slot}'s link in both directions: a token bucket ({@code tc qdisc ... tbf}) of
     * {@code rate} on each end of its veth pair, whose queue holds packets up to {@code queue}
     * before dropping them. The kernel has no netem, so this is how a link gets latency: packets wait
     * in the bucket's queue whenever the peer sends or receives faster than the rate.
     */
    public void slow(NetnsLayout.Slot slot, String rate, String queue) throws IOException, InterruptedException {
        for (List<String> command : slowCommands(slot, rate, queue)) {
            check(command);
        }
    }

    /** Removes what {@link #slow} added; a link that is not slowed is left as it is. */
    public void unslow(NetnsLayout.Slot slot) throws IOException, InterruptedException {
        for (List<String> command : unslowCommands(slot)) {
            runner.run(command);
        }
    }

    List<List<String>> slowCommands(NetnsLayout.Slot slot, String rate, String queue) {
        List<String> tbf = List.of("root", "tbf", "rate", rate, "burst", "16kb", "latency", queue);
        List<String> host = new ArrayList<>(List.of(tc(), "qdisc", "replace", "dev", slot.hostVeth()));
        host.addAll(tbf);
        List<String> inside = new ArrayList<>(execPrefix(slot));
        inside.addAll(List.of(tc(), "qdisc", "replace", "dev", slot.namespaceVeth()));
        inside.addAll(tbf);
        return List.of(host, inside);
    }

    List<List<String>> unslowCommands(NetnsLayout.Slot slot) {
        List<String> inside = new ArrayList<>(execPrefix(slot));
        inside.addAll(List.of(tc(), "qdisc", "del", "dev", slot.namespaceVeth(), "root"));
        return List.of(List.of(tc(), "qdisc", "del", "dev", slot.hostVeth(), "root"), inside);
    }

    /** iproute2's {@code tc}, next to {@code ip}. */
    private String tc() {
        Path sibling = Path.of(ip).resolveSibling("tc");
        return Files.isExecutable(sibling) ? sibling.toString() : "tc";
    }

    /** The command prefix that runs a program inside {@code slot}'s namespace. */
    public List<String> execPrefix(NetnsLayout.Slot slot) {
        return List.of(ip, "netns", "exec", slot.namespace());
    }

    List<List<String>> createCommands(NetnsLayout l) {
        List<List<String>> c = new ArrayList<>();
        String cidr = "/" + NetnsLayout.PREFIX_LENGTH;
        c.add(List.of(ip, "link", "add", l.bridge(), "type", "bridge"));
        c.add(List.of(ip, "addr", "add", l.bridgeAddress() + cidr, "dev", l.bridge()));
        c.add(List.of(ip, "link", "set", l.bridge(), "up"));
        for (NetnsLayout.Slot s : l.slots()) {
            c.add(List.of(ip, "netns", "add", s.namespace()));
            c.add(List.of(ip, "link", "add", s.hostVeth(), "type", "veth", "peer", "name", s.namespaceVeth(),
                    "netns", s.namespace()));
            c.add(List.of(ip, "link", "set", s.hostVeth(), "master", l.bridge()));
            c.add(List.of(ip, "link", "set", s.hostVeth(), "up"));
            c.add(List.of(ip, "-n", s.namespace(), "addr", "add", s.address() + cidr, "dev", s.namespaceVeth()));
            c.add(List.of(ip, "-n", s.namespace(), "link", "set", s.namespaceVeth(), "up"));
            c.add(List.of(ip, "-n", s.namespace(), "link", "set", "lo", "up"));
        }
        return c;
    }

    List<String> linkCommand(NetnsLayout.Slot slot, String upOrDown) {
        return List.of(ip, "link", "set", "dev", slot.hostVeth(), upOrDown);
    }

    boolean linkExists(String name) throws IOException, InterruptedException {
        return runner.run(List.of(ip, "link", "show", "dev", name)).ok();
    }

    boolean namespaceExists(String name) throws IOException, InterruptedException {
        return namespaceNames(check(List.of(ip, "netns", "list")).output()).contains(name);
    }

    /** Interface names in {@code ip -o link show} output ({@code 7: fs0ah1@if6: <...>} gives fs0ah1). */
    static List<String> linkNames(String output) {
        List<String> names = new ArrayList<>();
        for (String line : output.split("\n")) {
            String[] parts = line.split(":", 3);
            if (parts.length >= 2 && !parts[1].isBlank()) {
                String name = parts[1].trim();
                int at = name.indexOf('@');
                names.add(at < 0 ? name : name.substring(0, at));
            }
        }
        return names;
    }

    /** Namespace names in {@code ip netns list} output ({@code fs0a-peer0.org1 (id: 3)} gives fs0a-peer0.org1). */
    static List<String> namespaceNames(String output) {
        List<String> names = new ArrayList<>();
        for (String line : output.split("\n")) {
            String name = line.trim().split("\\s+", 2)[0];
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        return names;
    }

    @FunctionalInterface
    private interface Probe {
        boolean exists() throws IOException, InterruptedException;
    }

    private void deleteIfPresent(List<String> command, Probe probe, List<String> problems) throws InterruptedException {
        try {
            if (!probe.exists()) {
                return;
            }
            CommandRunner.Result r = runner.run(command);
            if (!r.ok() && probe.exists()) {
                problems.add(String.join(" ", command) + ": " + r.output());
            }
        } catch (IOException e) {
            problems.add(String.join(" ", command) + ": " + e.getMessage());
        }
    }

    private CommandRunner.Result check(List<String> command) throws IOException, InterruptedException {
        CommandRunner.Result r = runner.run(command);
        if (!r.ok()) {
            throw new IOException(String.join(" ", command) + " failed (exit " + r.exitCode() + "): " + r.output());
        }
        return r;
    }

    private static boolean isRoot() {
        return uid().map("0"::equals).orElse(false);
    }

    /** The effective uid, from {@code /proc/self/status}. */
    private static Optional<String> uid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    String[] f = line.substring(4).trim().split("\\s+");
                    return Optional.of(f.length > 1 ? f[1] : f[0]);
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
