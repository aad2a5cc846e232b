package io.fabsim.cli.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabsim.cli.FabsimCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario: a peer process with JGroups leader election starts inside a network namespace whose
 * link is cut (its veth has no carrier, as when the chaos nemesis partitions a peer that is being
 * restarted), bound to the namespace's address; then the link is restored.
 * Expected: the peer does not exit; it says it waits for the interface, and joins its election
 * cluster once the link is back. Before the fix JGroups refused the address ("is not a valid
 * address on any local network interface") and the peer exited. Runs only as root with iproute2.
 */
class PeerStartsWhileCutTest {

    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    Path sandbox;

    private Netns netns;
    private NetnsLayout layout;
    private Process peer;

    @AfterEach
    void cleanUp() throws Exception {
        if (peer != null) {
            peer.destroyForcibly();
            peer.waitFor(20, TimeUnit.SECONDS);
            List<String> lines = Files.readAllLines(sandbox.resolve("peer0.log"));
            System.out.println("==== peer0.log (last 40 of " + lines.size() + " lines)");
            lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(System.out::println);
        }
        if (layout != null) {
            assertThat(netns.delete(layout)).isEmpty();
        }
    }

    @Test
    void aPeerStartedWhileItsLinkIsDownWaitsAndJoinsItsClusterOnceTheLinkIsBack() throws Exception {
        Optional<String> reason = Netns.unavailableReason();
        assumeTrue(reason.isEmpty(), () -> "network namespaces unavailable: " + reason.orElse(""));
        netns = Netns.system();
        layout = netns.choose(sandbox, List.of("peer0.org1"));
        NetnsLayout.Slot slot = layout.slots().get(0);
        netns.create(layout);
        netns.cut(slot);

        Path conf = Files.createDirectories(sandbox.resolve("conf"));
        for (String file : List.of("crypto-config.conf", "peer0.conf")) {
            Files.copy(repoConf().resolve(file), conf.resolve(file));
        }
        assertThat(FabsimCli.run(new String[] {"cryptogen", "generate", "--config", conf.resolve("crypto-config.conf").toString(),
                "--output", sandbox.resolve("build/crypto-config").toString()}, new PrintWriter(System.out, true),
                new PrintWriter(System.err, true))).isZero();
        int jgroupsPort = freePort();
        List<String> command = new ArrayList<>(netns.execPrefix(slot));
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dlogback.configurationFile=logback.xml",
                "-cp", System.getProperty("java.class.path"), FabsimCli.class.getName(),
                "peer", "node", "start", "--config", conf.resolve("peer0.conf").toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(sandbox.resolve("peer0.log").toFile());
        builder.environment().put("CORE_PEER_GOSSIP_USELEADERELECTION", "true");
        builder.environment().put("CORE_PEER_GOSSIP_ORGLEADER", "false");
        builder.environment().put("CORE_PEER_GOSSIP_ELECTION_ALGORITHM", "jgroups");
        builder.environment().put("CORE_PEER_GOSSIP_ELECTION_JGROUPS_BINDADDRESS", slot.address());
        builder.environment().put("CORE_PEER_GOSSIP_ELECTION_JGROUPS_BINDPORT", Integer.toString(jgroupsPort));
        builder.environment().put("CORE_PEER_GOSSIP_ELECTION_JGROUPS_INITIALHOSTS",
                "[\"" + slot.address() + "[" + jgroupsPort + "]\"]");
        builder.environment().put("CORE_PEER_LISTENADDRESS", slot.address() + ":" + freePort());
        builder.environment().put("CORE_OPERATIONS_LISTENADDRESS", "127.0.0.1:" + freePort());
        peer = builder.start();

        await().atMost(WAIT).until(() -> log().contains("waiting for it to come up") || !peer.isAlive());
        assertThat(peer.isAlive()).as("the peer is still running while its link is down").isTrue();
        assertThat(log()).doesNotContain("joined election cluster");

        netns.restore(slot);
        await().atMost(WAIT).until(() -> log().contains("joined election cluster") || !peer.isAlive());
        assertThat(peer.isAlive()).isTrue();
        assertThat(log()).doesNotContain("is not a valid address on any local network interface");
    }

    private String log() throws IOException {
        return Files.readString(sandbox.resolve("peer0.log"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Path repoConf() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("conf/peer0.conf"))) {
                return p.resolve("conf");
            }
        }
        throw new IllegalStateException("conf/peer0.conf not found above " + Path.of("").toAbsolutePath());
    }
}
