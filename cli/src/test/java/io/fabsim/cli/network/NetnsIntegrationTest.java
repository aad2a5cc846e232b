package io.fabsim.cli.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario: build a real bridge, namespace and veth pair through {@link Netns}, connect from inside
 * the namespace to a socket on the bridge address, cut the link, restore it, delete everything.
 * Expected: connected, then not, then again; afterwards no link or namespace of the layout remains.
 * Runs only as root with iproute2 (skipped with the reason otherwise).
 */
class NetnsIntegrationTest {

    @TempDir
    Path dir;

    private final CommandRunner runner = CommandRunner.system();
    private Netns netns;
    private NetnsLayout layout;

    @BeforeEach
    void needsRoot() throws Exception {
        Optional<String> reason = Netns.unavailableReason();
        assumeTrue(reason.isEmpty(), () -> "network namespaces unavailable: " + reason.orElse(""));
        netns = Netns.system();
        layout = netns.choose(dir, List.of("peer0.test"));
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (layout != null) {
            netns.delete(layout);
        }
    }

    @Test
    void aNamespaceIsCreatedReachableCutRestoredAndDeleted() throws Exception {
        NetnsLayout.Slot slot = layout.slots().get(0);
        netns.create(layout);

        assertThat(netns.namespaceExists(slot.namespace())).isTrue();
        assertThat(netns.linkExists(layout.bridge())).isTrue();
        assertThat(netns.linkExists(slot.hostVeth())).isTrue();
        assertThat(run(execIn(slot, "/usr/sbin/ip", "-o", "-4", "addr", "show")).output()).contains(slot.address() + "/24");

        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getByName(layout.bridgeAddress()), 0));
            int port = server.getLocalPort();
            assertThat(connectFromNamespace(slot, port)).as("connect before the cut").isTrue();

            netns.cut(slot);
            assertThat(connectFromNamespace(slot, port)).as("connect while cut").isFalse();

            netns.restore(slot);
            // The port rejoins the bridge and the neighbour entry recovers within moments.
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .until(() -> connectFromNamespace(slot, port));
        }

        assertThat(netns.delete(layout)).isEmpty();
        assertThat(netns.namespaceExists(slot.namespace())).isFalse();
        assertThat(netns.linkExists(layout.bridge())).isFalse();
        assertThat(netns.linkExists(slot.hostVeth())).isFalse();
        assertThat(netns.delete(layout)).as("deleting again is harmless").isEmpty();
    }

    @Test
    void downDeletesWhatACrashedUpLeftBehind() throws Exception {
        // As network up records it before creating anything, then dies half-way: links exist, no process runs.
        NetworkState.Node peer = new NetworkState.Node("peer0.test", "peer", "Org1", "Org1MSP", "election", 0,
                "", "", "", dir.resolve("nodes/peer0.test.conf").toString(), "", List.of("ch1"));
        new NetworkState(dir.toString(), List.of("ch1"), "", List.of(peer)).withNetns(layout).write(dir);
        netns.create(layout);
        assertThat(netns.linkExists(layout.bridge())).isTrue();

        new NetworkControl(dir, io.fabsim.common.time.Clock.system()).down();

        assertThat(netns.linkExists(layout.bridge())).isFalse();
        assertThat(netns.linkExists(layout.slots().get(0).hostVeth())).isFalse();
        assertThat(netns.namespaceExists(layout.slots().get(0).namespace())).isFalse();
    }

    /** bash's /dev/tcp inside the namespace, bounded by timeout(1): true when the connect succeeds. */
    private boolean connectFromNamespace(NetnsLayout.Slot slot, int port) throws IOException, InterruptedException {
        return run(execIn(slot, "timeout", "3", "bash", "-c",
                "exec 3<>/dev/tcp/" + layout.bridgeAddress() + "/" + port)).ok();
    }

    private List<String> execIn(NetnsLayout.Slot slot, String... command) {
        List<String> all = new java.util.ArrayList<>(netns.execPrefix(slot));
        all.addAll(List.of(command));
        return all;
    }

    private CommandRunner.Result run(List<String> command) throws IOException, InterruptedException {
        return runner.run(command);
    }
}
