package io.fabsim.cli.network;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code DIR/network.json}: what {@code network up} started, so that {@code status}, {@code down}
 * and fault injection act on exactly those processes. {@code netns} (null when the network runs
 * on the host's own network) records the namespaces, links and bridge it created.
 */
public record NetworkState(String dir, List<String> channels, String javaOpts, List<Node> processes,
                           NetnsLayout netns) {

    public NetworkState(String dir, List<String> channels, String javaOpts, List<Node> processes) {
        this(dir, channels, javaOpts, processes, null);
    }

    /** One process of the network. {@code pid} is 0 while it is not running. */
    public record Node(String name, String role, String org, String mspId, String mode, long pid,
                       String grpcAddress, String operationsAddress, String gossipAddress,
                       String configFile, String logFile, List<String> channels) {

        public Node withPid(long newPid) {
            return new Node(name, role, org, mspId, mode, newPid, grpcAddress, operationsAddress, gossipAddress,
                    configFile, logFile, channels);
        }

        public boolean isPeer() {
            return "peer".equals(role);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public static Path file(Path dir) {
        return dir.resolve("network.json");
    }

    public static NetworkState read(Path dir) throws IOException {
        Path file = file(dir);
        if (!Files.isRegularFile(file)) {
            throw new IOException("no network in " + dir + " (" + file + " not found): run network up first");
        }
        return JSON.readValue(file.toFile(), NetworkState.class);
    }

    public void write(Path dir) throws IOException {
        Path tmp = dir.resolve("network.json.tmp");
        JSON.writeValue(tmp.toFile(), this);
        Files.move(tmp, file(dir), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public Optional<Node> node(String name) {
        return processes.stream().filter(n -> n.name().equals(name)).findFirst();
    }

    public NetworkState with(Node updated) {
        List<Node> nodes = new ArrayList<>(processes);
        nodes.replaceAll(n -> n.name().equals(updated.name()) ? updated : n);
        return new NetworkState(dir, channels, javaOpts, List.copyOf(nodes), netns);
    }

    public NetworkState withNetns(NetnsLayout layout) {
        return new NetworkState(dir, channels, javaOpts, processes, layout);
    }

    /** The namespace slot of {@code node}, when the network runs in netns mode and the node is a peer. */
    public Optional<NetnsLayout.Slot> netnsSlot(String node) {
        return netns == null ? Optional.empty() : netns.slot(node);
    }

    public List<Node> peers() {
        return processes.stream().filter(Node::isPeer).toList();
    }

    public List<Node> orderers() {
        return processes.stream().filter(n -> "orderer".equals(n.role())).toList();
    }
}
