package io.fabsim.cli.network;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabsim.common.time.Clock;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Fault injection and shutdown on a running network, by node name, acting only on the pids that
 * {@code network.json} records. Keeps {@code network.json} up to date (a killed node's pid is 0).
 */
public final class NetworkControl {

    /** How long {@code down} and {@code restart} wait after SIGTERM before SIGKILL. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final Path dir;
    private final Processes processes;

    public NetworkControl(Path dir, Clock clock) {
        this.dir = dir;
        this.processes = new Processes(clock);
    }

    public NetworkState state() throws IOException {
        return NetworkState.read(dir);
    }

    /** Stops every process of the network: SIGTERM, then SIGKILL after {@link #STOP_GRACE}. */
    public void down() throws IOException, InterruptedException {
        NetworkState state = state();
        // Peers first, so that they do not log a burst of reconnects to orderers already gone.
        for (NetworkState.Node node : state.peers()) {
            processes.stop(node.pid(), node.configFile(), STOP_GRACE);
            state = state.with(node.withPid(0));
        }
        for (NetworkState.Node node : state.orderers()) {
            processes.stop(node.pid(), node.configFile(), STOP_GRACE);
            state = state.with(node.withPid(0));
        }
        state.write(dir);
        if (state.netns() != null) {
            List<String> problems = Netns.system().delete(state.netns());
            if (!problems.isEmpty()) {
                throw new IOException("processes stopped, but some network namespaces or links remain: " + problems);
            }
        }
    }

    /** Cuts peer {@code name} off the network (netns mode): its link to the bridge goes down. */
    public void partition(String name) throws IOException, InterruptedException {
        Netns.system().cut(slot(name));
    }

    /** Restores the link of peer {@code name} cut by {@link #partition}. */
    public void heal(String name) throws IOException, InterruptedException {
        Netns.system().restore(slot(name));
    }

    /** The rate and queue of a slowed link: about 30 kB/s, packets held up to half a second. */
    public static final String SLOW_RATE = "256kbit";
    public static final String SLOW_QUEUE = "500ms";

    /** Slows peer {@code name}'s link in both directions (netns mode): see {@link Netns#slow}. */
    public void slow(String name) throws IOException, InterruptedException {
        Netns.system().slow(slot(name), SLOW_RATE, SLOW_QUEUE);
    }

    /** Restores the full speed of a link slowed by {@link #slow}. */
    public void unslow(String name) throws IOException, InterruptedException {
        Netns.system().unslow(slot(name));
    }

    private NetnsLayout.Slot slot(String name) throws IOException {
        NetworkState.Node node = require(name);
        return state().netnsSlot(node.name()).orElseThrow(() -> new IOException(name + " has no network namespace: "
                + "partition and heal need a network started with network.netns = true (and a peer, not an orderer)"));
    }

    /** What a node's command is started under: {@code ip netns exec <ns>} for a peer in netns mode, else nothing. */
    static List<String> commandPrefix(NetworkState state, String node) {
        return state.netnsSlot(node).map(s -> Netns.system().execPrefix(s)).orElse(List.of());
    }

    public void kill(String name) throws IOException, InterruptedException {
        NetworkState.Node node = require(name);
        processes.kill(node.pid(), node.configFile());
        state().with(node.withPid(0)).write(dir);
    }

    public void pause(String name) throws IOException, InterruptedException {
        NetworkState.Node node = require(name);
        processes.pause(node.pid(), node.configFile());
    }

    public void resume(String name) throws IOException, InterruptedException {
        NetworkState.Node node = require(name);
        processes.resume(node.pid(), node.configFile());
    }

    /** Stops the node if it runs, then starts it again from its config file (it resumes from its ledger). */
    public long restart(String name) throws IOException, InterruptedException {
        NetworkState.Node node = require(name);
        String javaOpts = state().javaOpts();
        processes.stop(node.pid(), node.configFile(), STOP_GRACE);
        long pid = processes.start(commandPrefix(state(), name), startArgs(node), javaOpts, Path.of(node.logFile()));
        state().with(node.withPid(pid)).write(dir);
        return pid;
    }

    /** Stops block cutting of {@code channel} on orderer {@code name} (admin API); the channel's info. */
    public JsonNode pauseCutting(String name, String channel) throws IOException, InterruptedException {
        return new OrdererAdmin(requireOrderer(name)).cutting(channel, "pause");
    }

    /** Restarts block cutting of {@code channel} on orderer {@code name}. */
    public JsonNode resumeCutting(String name, String channel) throws IOException, InterruptedException {
        return new OrdererAdmin(requireOrderer(name)).cutting(channel, "resume");
    }

    /** Orderer {@code name}'s view of {@code channel}: consensusRelation, status (active, paused, errored), height. */
    public JsonNode ordererChannel(String name, String channel) throws IOException, InterruptedException {
        return new OrdererAdmin(requireOrderer(name)).channel(channel);
    }

    /** The load source of orderer {@code name}: enabled, and when it is, rate, txSize, submitted. */
    public JsonNode load(String name) throws IOException, InterruptedException {
        return new OrdererAdmin(requireOrderer(name)).load();
    }

    /** Sets the load rate of orderer {@code name} (transactions per second per channel; 0 stops the load). */
    public JsonNode setLoadRate(String name, int rate) throws IOException, InterruptedException {
        return new OrdererAdmin(requireOrderer(name)).setLoadRate(rate);
    }

    static List<String> startArgs(NetworkState.Node node) {
        return node.isPeer()
                ? List.of("peer", "node", "start", "--config", node.configFile())
                : List.of("orderer", "start", "--config", node.configFile());
    }

    private NetworkState.Node requireOrderer(String name) throws IOException {
        NetworkState.Node node = require(name);
        if (node.isPeer()) {
            throw new IOException(name + " is a peer: block cutting and load are an orderer's");
        }
        return node;
    }

    private NetworkState.Node require(String name) throws IOException {
        NetworkState state = state();
        return state.node(name).orElseThrow(() -> new IOException("no node named \"" + name + "\" in "
                + NetworkState.file(dir) + "; nodes: " + state.processes().stream().map(NetworkState.Node::name).toList()));
    }
}
