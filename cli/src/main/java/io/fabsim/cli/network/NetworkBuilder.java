package io.fabsim.cli.network;

import io.fabsim.cli.FabsimCli;
import io.fabsim.common.time.Clock;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code network up}: from a {@link NetworkSpec}, generates crypto material (cryptogen), one genesis
 * block per channel (configtxgen, with every orderer as an endpoint) and one HOCON file per process;
 * starts the orderers, joins them to the channels, starts the peers, joins them, and waits until
 * every peer serves every channel. {@code network.json} is rewritten after each start, so that
 * {@code network down} stops whatever was started even when {@code up} fails half-way.
 */
public final class NetworkBuilder {

    /** Settings a network's processes get beyond the network description. */
    public record Options(Duration reconnectTotalTimeThreshold) {
        /** A minute: long enough to ride out a restart of the orderer, short enough to watch a yield. */
        public static Options defaults() {
            return new Options(Duration.ofSeconds(60));
        }
    }

    private static final Duration POLL = Duration.ofMillis(100);

    private final Clock clock;
    private final PrintWriter out;
    private final Processes processes;
    private final StatusClient status = new StatusClient();
    private final Netns netns = Netns.system();

    public NetworkBuilder(Clock clock, PrintWriter out) {
        this.clock = clock;
        this.out = out;
        this.processes = new Processes(clock);
    }

    public NetworkState up(NetworkSpec spec, Path dir, Options options) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        refuseIfRunning(dir);
        long started = clock.nanoTime();
        NetworkPlan plan = NetworkPlan.of(spec, dir);
        if (spec.netns()) {
            plan = withNetns(plan);
        }
        progress("generating crypto material in " + plan.cryptoDir());
        cli("cryptogen", "generate", "--config", NetworkFiles.writeCryptoConfig(plan).toString(),
                "--output", plan.cryptoDir().toString());
        Path configtx = NetworkFiles.writeConfigtx(plan);
        for (NetworkSpec.Channel channel : spec.channels()) {
            List<String> args = new ArrayList<>(List.of("configtxgen", "--config", configtx.toString(), "--cryptoDir",
                    plan.cryptoDir().toString(), "--profile", NetworkFiles.PROFILE, "--channelID", channel.name(),
                    "--outputBlock", plan.channelBlock(channel.name()).toString()));
            plan.ordererAddresses().forEach(a -> args.addAll(List.of("--ordererEndpoint", a)));
            cli(args.toArray(String[]::new));
        }
        NetworkState state = initialState(plan, options).withNetns(plan.netns().orElse(null));
        state.write(dir);
        if (state.netns() != null) {
            progress("creating bridge " + state.netns().bridge() + " (" + state.netns().cidr() + ") and a network namespace per peer");
            netns.create(state.netns());
        }
        long deadline = clock.nanoTime() + spec.startTimeout().toNanos();

        for (NetworkPlan.OrdererNode o : plan.orderers()) {
            state = start(state, o.name(), spec);
        }
        for (NetworkState.Node o : state.orderers()) {
            awaitHealthy(o, deadline);
            for (String channel : state.channels()) {
                cli("orderer", "channel", "join", "--block", plan.channelBlock(channel).toString(),
                        "--admin", plan.address(plan.orderers().stream().filter(x -> x.name().equals(o.name()))
                                .findFirst().orElseThrow().adminPort()));
            }
        }
        progress("orderers ready: " + state.orderers().stream().map(NetworkState.Node::name).toList());
        for (NetworkPlan.PeerNode p : plan.peers()) {
            state = start(state, p.name(), spec);
        }
        for (NetworkState.Node p : state.peers()) {
            awaitHealthy(p, deadline);
        }
        // Channel by channel across all peers, starting with a different peer for each channel: the
        // first eligible peer of an org to join a channel is elected at once, so rotating the order
        // spreads the leaderships (and their orderer streams) over the org's peers.
        List<NetworkState.Node> peers = new ArrayList<>(state.peers());
        for (String channel : state.channels()) {
            for (NetworkState.Node p : peers) {
                if (p.channels().contains(channel)) {
                    cli("peer", "channel", "join", "--block", plan.channelBlock(channel).toString(),
                            "--admin", p.operationsAddress());
                }
            }
            java.util.Collections.rotate(peers, -1);
        }
        for (NetworkState.Node p : state.peers()) {
            awaitChannels(p, deadline);
        }
        progress(String.format("network up in %.1f s: %d orderers, %d peers, channels %s (%s)",
                (clock.nanoTime() - started) / 1e9, state.orderers().size(), state.peers().size(), state.channels(),
                NetworkState.file(dir)));
        return state;
    }

    private NetworkState initialState(NetworkPlan plan, Options options) throws IOException {
        List<NetworkState.Node> nodes = new ArrayList<>();
        List<String> channels = plan.spec().channels().stream().map(NetworkSpec.Channel::name).toList();
        for (NetworkPlan.OrdererNode o : plan.orderers()) {
            nodes.add(new NetworkState.Node(o.name(), "orderer", plan.spec().ordererOrg().name(),
                    plan.spec().ordererOrg().mspId(), o.spec().followerOf().isPresent() ? "follower" : "orderer", 0,
                    plan.address(o.grpcPort()), plan.address(o.operationsPort()), "",
                    NetworkFiles.writeOrdererConfig(plan, o).toString(), plan.logFile(o.name()).toString(), channels));
        }
        for (NetworkPlan.PeerNode p : plan.peers()) {
            nodes.add(new NetworkState.Node(p.name(), "peer", p.org().name(), p.org().mspId(),
                    p.spec().mode().name().toLowerCase(), 0, plan.address(p.grpcPort()), plan.address(p.operationsPort()),
                    plan.address(p.grpcPort()), NetworkFiles.writePeerConfig(plan, p, options).toString(),
                    plan.logFile(p.name()).toString(), p.channels()));
        }
        return new NetworkState(plan.dir().toString(), channels, plan.spec().javaOpts(), List.copyOf(nodes));
    }

    private NetworkState start(NetworkState state, String name, NetworkSpec spec) throws IOException {
        NetworkState.Node node = state.node(name).orElseThrow();
        long pid = processes.start(NetworkControl.commandPrefix(state, node.name()), NetworkControl.startArgs(node),
                state.javaOpts(), Path.of(node.logFile()));
        NetworkState next = state.with(node.withPid(pid));
        next.write(Path.of(state.dir()));
        return next;
    }

    /** The plan with a namespace per peer (network.netns = true), or a clear refusal when namespaces cannot be made. */
    private NetworkPlan withNetns(NetworkPlan plan) throws IOException, InterruptedException {
        Optional<String> unavailable = Netns.unavailableReason();
        if (unavailable.isPresent()) {
            throw new IOException("network.netns = true, but " + unavailable.get());
        }
        return plan.withNetns(netns.choose(plan.dir(), plan.peerNames()));
    }

    private void awaitHealthy(NetworkState.Node node, long deadline) throws IOException, InterruptedException {
        while (!status.healthy(node.operationsAddress())) {
            if (!processes.isOurs(node.pid(), node.configFile())) {
                throw new IOException(node.name() + " exited during start-up; last lines of " + node.logFile() + ":\n"
                        + tail(Path.of(node.logFile()), 15));
            }
            if (clock.nanoTime() > deadline) {
                throw new IOException(node.name() + " not healthy at " + node.operationsAddress() + " in time; see "
                        + node.logFile());
            }
            clock.sleep(POLL);
        }
    }

    private void awaitChannels(NetworkState.Node peer, long deadline) throws IOException, InterruptedException {
        while (true) {
            var doc = status.status(peer.operationsAddress());
            if (doc.isPresent()) {
                List<String> serving = new ArrayList<>();
                doc.get().path("channels").forEach(c -> serving.add(c.path("channel").asText()));
                if (serving.containsAll(peer.channels())) {
                    return;
                }
            }
            if (clock.nanoTime() > deadline) {
                throw new IOException(peer.name() + " does not serve " + peer.channels() + " in time; see " + peer.logFile());
            }
            clock.sleep(POLL);
        }
    }

    private void refuseIfRunning(Path dir) throws IOException, InterruptedException {
        if (!Files.exists(NetworkState.file(dir))) {
            return;
        }
        NetworkState old = NetworkState.read(dir);
        for (NetworkState.Node n : old.processes()) {
            if (processes.isOurs(n.pid(), n.configFile())) {
                throw new NetworkRunningException("a network is already running in " + dir + " (" + n.name() + " is pid " + n.pid()
                        + "): run network down --dir " + dir + " first");
            }
        }
        if (old.netns() != null) {
            List<String> problems = netns.delete(old.netns());
            if (!problems.isEmpty()) {
                throw new IOException("cannot delete the namespaces left in " + dir + " by an earlier run: " + problems);
            }
        }
    }

    /** Runs a fabsim command in this process; its output is shown only when it fails. */
    private void cli(String... args) throws IOException {
        StringWriter buffer = new StringWriter();
        PrintWriter pw = new PrintWriter(buffer, true);
        int code = FabsimCli.run(args, pw, pw);
        if (code != 0) {
            throw new IOException("fabsim " + String.join(" ", args) + " failed (exit " + code + "):\n" + buffer);
        }
    }

    private void progress(String line) {
        out.println("network: " + line);
        out.flush();
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
