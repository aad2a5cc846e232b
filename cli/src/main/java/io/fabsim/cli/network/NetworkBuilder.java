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

        // Every process starts at once: peers need nothing from the orderers until they join a channel.
        for (NetworkPlan.OrdererNode o : plan.orderers()) {
            state = start(state, o.name());
        }
        for (NetworkPlan.PeerNode p : plan.peers()) {
            state = start(state, p.name());
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
        for (NetworkState.Node p : state.peers()) {
            awaitHealthy(p, deadline);
        }
        // Channel by channel. The first eligible peer of an org to join a channel is elected at once,
        // so each org's first joiner is chosen in turn (a different peer for each channel) and joins
        // alone; then the others join together. Leaderships, and their orderer streams, spread over
        // each org's peers.
        List<String> channels = state.channels();
        for (int c = 0; c < channels.size(); c++) {
            String channel = channels.get(c);
            List<List<NetworkState.Node>> waves = joinWaves(state.peers(), channel, c);
            for (List<NetworkState.Node> wave : waves) {
                List<String[]> joins = new ArrayList<>();
                for (NetworkState.Node p : wave) {
                    joins.add(new String[] {"peer", "channel", "join", "--block", plan.channelBlock(channel).toString(),
                        "--admin", p.operationsAddress()});
                }
                cliInParallel(joins);
            }
        }
        for (NetworkState.Node p : state.peers()) {
            awaitChannels(p, deadline);
        }
        progress(String.format("network up in %.1f s: %d orderers, %d peers, channels %s (%s)",
                (clock.nanoTime() - started) / 1e9, state.orderers().size(), state.peers().size(), state.channels(),
                NetworkState.file(dir)));
        return state;
    }

    /**
     * The peers that join {@code channel}, in two waves: first one peer per org (the org's
     * {@code index}-th peer, wrapping), then all the others.
     */
    static List<List<NetworkState.Node>> joinWaves(List<NetworkState.Node> peers, String channel, int index) {
        java.util.Map<String, List<NetworkState.Node>> byOrg = new java.util.LinkedHashMap<>();
        for (NetworkState.Node p : peers) {
            if (p.channels().contains(channel)) {
                byOrg.computeIfAbsent(p.org(), k -> new ArrayList<>()).add(p);
            }
        }
        List<NetworkState.Node> first = new ArrayList<>();
        List<NetworkState.Node> rest = new ArrayList<>();
        for (List<NetworkState.Node> org : byOrg.values()) {
            NetworkState.Node chosen = org.get(index % org.size());
            first.add(chosen);
            org.stream().filter(p -> p != chosen).forEach(rest::add);
        }
        return rest.isEmpty() ? List.of(first) : List.of(first, rest);
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

    private NetworkState start(NetworkState state, String name) throws IOException {
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

    /** Runs several fabsim commands at once; fails with the first failure's message. */
    private void cliInParallel(List<String[]> commands) throws IOException, InterruptedException {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(
                Math.max(1, Math.min(commands.size(), 8)));
        try {
            List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
            for (String[] command : commands) {
                futures.add(pool.submit(() -> {
                    cli(command);
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : futures) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause().getMessage(), e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
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
