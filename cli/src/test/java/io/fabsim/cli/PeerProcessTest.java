package io.fabsim.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario: the README's walkthrough ("Peer") in separate JVMs, from the files in {@code conf/}
 * ({@code crypto-config.conf}, {@code orderer.conf}, {@code peer0.conf}, {@code configtx.conf})
 * copied into a sandbox, crypto material made by {@code cryptogen} from them; ports are chosen at
 * run time and passed as environment variables. The orderer makes blocks from its built-in load.
 * Expected: the static-leader peer commits every block the orderer cuts (same height and hash once
 * cutting pauses), stops cleanly on SIGTERM, resumes from its height on restart; with both leader
 * flags set a peer exits with code 4 and Fabric's message.
 */
class PeerProcessTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHANNEL = "mychannel";

    @TempDir
    Path sandbox;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void prepare() throws IOException {
        Path conf = Files.createDirectories(sandbox.resolve("conf"));
        for (String file : List.of("crypto-config.conf", "orderer.conf", "peer0.conf", "configtx.conf")) {
            Files.copy(repoConf().resolve(file), conf.resolve(file));
        }
        // the README's first step, as written there
        assertThat(FabsimCli.run(new String[] {"cryptogen", "generate", "--config", conf.resolve("crypto-config.conf").toString(),
                "--output", sandbox.resolve("build/crypto-config").toString()}, new java.io.PrintWriter(System.out, true),
                new java.io.PrintWriter(System.err, true))).isZero();
    }

    @AfterEach
    void stopAll() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(20, TimeUnit.SECONDS);
        }
        try (var logs = Files.newDirectoryStream(sandbox, "*.log")) {
            for (Path log : logs) {
                List<String> lines = Files.readAllLines(log);
                System.out.println("==== " + log.getFileName() + " (last 60 of " + lines.size() + " lines)");
                lines.subList(Math.max(0, lines.size() - 60), lines.size()).forEach(System.out::println);
            }
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

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private Process spawn(String name, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                // The launcher's INFO logging (logback.xml), not the tests' DEBUG logging.
                "-Dlogback.configurationFile=logback.xml",
                "-cp", System.getProperty("java.class.path"), FabsimCli.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(sandbox.resolve(name + ".log").toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private String log(String name) throws IOException {
        return Files.readString(sandbox.resolve(name + ".log"));
    }

    private int status(String address, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://" + address + path)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private JsonNode channel(String operations) throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create("http://" + operations + "/status")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        for (JsonNode c : JSON.readTree(body).get("channels")) {
            if (c.get("channel").asText().equals(CHANNEL)) {
                return c;
            }
        }
        return JSON.createObjectNode().put("height", 0).put("currentBlockHash", "");
    }

    private void cutting(String ordererOps, String action) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://" + ordererOps + "/admin/v1/channels/" + CHANNEL + "/" + action))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    /** Pauses block cutting and waits until the peer has exactly the orderer's chain. */
    private long awaitSameChain(String ordererOps, String peerOps) throws Exception {
        cutting(ordererOps, "pause");
        await().atMost(WAIT).until(() -> {
            JsonNode o = channel(ordererOps);
            JsonNode p = channel(peerOps);
            return o.get("height").asLong() > 1 && o.get("height").asLong() == p.get("height").asLong()
                    && o.get("currentBlockHash").asText().equals(p.get("currentBlockHash").asText());
        });
        return channel(peerOps).get("height").asLong();
    }

    @Test
    void aStaticLeaderPeerProcessCommitsEveryBlockTheOrdererProcessCuts() throws Exception {
        Path conf = sandbox.resolve("conf");
        String ordererOps = "127.0.0.1:" + freePort();
        String peerOps = "127.0.0.1:" + freePort();
        int ordererPort = freePort();
        Path block = sandbox.resolve("mychannel.block");
        assertThat(FabsimCli.run(new String[] {"configtxgen", "--config", conf.resolve("configtx.conf").toString(),
                "--cryptoDir", sandbox.resolve("build/crypto-config").toString(), "--profile", "TwoOrgsChannel",
                "--channelID", CHANNEL, "--outputBlock", block.toString(), "--ordererEndpoint",
                "127.0.0.1:" + ordererPort}, new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true)))
                .isZero();
        spawn("orderer", Map.of("ORDERER_GENERAL_LISTENPORT", String.valueOf(ordererPort),
                "ORDERER_OPERATIONS_LISTENADDRESS", ordererOps, "ORDERER_ORDERER_LOAD_ENABLED", "true",
                "ORDERER_ORDERER_LOAD_RATE", "30"), "orderer", "start", "--config", conf.resolve("orderer.conf").toString());
        Map<String, String> peerEnv = Map.of("CORE_PEER_LISTENADDRESS", "127.0.0.1:" + freePort(),
                "CORE_OPERATIONS_LISTENADDRESS", peerOps);
        Process peer = spawn("peer0", peerEnv, "peer", "node", "start", "--config", conf.resolve("peer0.conf").toString());
        await().atMost(WAIT).until(() -> status(ordererOps, "/healthz") == 200 && status(peerOps, "/healthz") == 200);
        assertThat(PeerCommandTest.fabsim("orderer", "channel", "join", "--block", block.toString(), "--admin", ordererOps)
                .code()).isZero();
        assertThat(PeerCommandTest.fabsim("peer", "channel", "join", "--block", block.toString(), "--admin", peerOps)
                .code()).isZero();

        await().atMost(WAIT).until(() -> channel(peerOps).get("height").asLong() >= 3);
        long first = awaitSameChain(ordererOps, peerOps);
        assertThat(channel(peerOps).get("mode").asText()).isEqualTo("static");
        assertThat(channel(peerOps).get("delivering").asBoolean()).isTrue();
        assertThat(channel(peerOps).get("streamingFrom").asText()).isEqualTo("127.0.0.1:" + ordererPort);

        peer.destroy();
        assertThat(peer.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(log("peer0")).contains("Peer peer0.org1.example.com stopped");
        cutting(ordererOps, "resume");
        await().atMost(WAIT).until(() -> channel(ordererOps).get("height").asLong() >= first + 2);

        spawn("peer0-restarted", peerEnv, "peer", "node", "start", "--config", conf.resolve("peer0.conf").toString());
        await().atMost(WAIT).until(() -> status(peerOps, "/healthz") == 200);
        assertThat(channel(peerOps).get("height").asLong()).isGreaterThanOrEqualTo(first);
        long second = awaitSameChain(ordererOps, peerOps);
        assertThat(second).isGreaterThanOrEqualTo(first + 2);
        assertThat(log("peer0-restarted")).contains("Peer peer0.org1.example.com is ready, channels: [" + CHANNEL + "]");
    }

    @Test
    void aPeerProcessWithBothLeaderFlagsExitsWithCode4AndFabricsMessage() throws Exception {
        Process peer = spawn("both", Map.of("CORE_PEER_GOSSIP_USELEADERELECTION", "true",
                        "CORE_PEER_GOSSIP_ORGLEADER", "true", "CORE_PEER_LISTENADDRESS", "127.0.0.1:" + freePort()),
                "peer", "node", "start", "--config", sandbox.resolve("conf/peer0.conf").toString());

        assertThat(peer.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(peer.exitValue()).isEqualTo(ExitCode.REFUSED_TO_START.code());
        assertThat(log("both")).contains("Setting both orgLeader and useLeaderElection to true isn't supported, aborting execution");
        assertThat(sandbox.resolve("build/peer0")).doesNotExist();
    }
}
