package io.fabsim.cli.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabsim.cli.network.NetworkState;
import io.fabsim.common.config.HostPort;
import io.fabsim.common.time.Clock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's HTTP surface on a recorded network whose processes are not running: the page and
 * the event stream, and every refusal (wrong Host or Origin, no or wrong token, malformed request,
 * unknown node, impossible action), each a 4xx with the reason and no change to network.json.
 * The assembled path with live processes and a browser is {@link ConsoleBrowserTest}.
 */
class ConsoleServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private ConsoleServer console;
    private RawHttp http;
    private String networkJson;

    @BeforeEach
    void start() throws Exception {
        NetworkState.Node peer = new NetworkState.Node("peer0.org1", "peer", "Org1", "Org1MSP", "election", 0,
                "127.0.0.1:1", "127.0.0.1:1", "127.0.0.1:1", dir.resolve("peer0.org1.conf").toString(), "", List.of("ch1"));
        NetworkState.Node orderer = new NetworkState.Node("orderer0", "orderer", "", "OrdererMSP", "", 0,
                "127.0.0.1:1", "127.0.0.1:1", "", dir.resolve("orderer0.conf").toString(), "", List.of("ch1"));
        new NetworkState(dir.toString(), List.of("ch1"), "", List.of(peer, orderer)).write(dir);
        networkJson = Files.readString(NetworkState.file(dir));
        console = ConsoleServer.start(dir, new HostPort("127.0.0.1", 0), false, Clock.system());
        http = new RawHttp(console);
    }

    @AfterEach
    void stop() {
        console.close();
    }

    private String self() {
        URI url = URI.create(console.url());
        return url.getHost() + ":" + url.getPort();
    }

    @Test
    void thePageCarriesTheTokenAndIsServedOnlyUnderTheConsolesOwnName() throws Exception {
        RawHttp.Response page = http.get("/", self());
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<meta name=\"fabsim-token\" content=\"" + console.token() + "\">");
        assertThat(http.get("/", "localhost:" + URI.create(console.url()).getPort()).status()).isEqualTo(200);
        assertThat(http.get("/assets/console.js", self()).body()).contains("EventSource");

        // A hostile site whose name was rebound to 127.0.0.1 must not read the page (and its token).
        RawHttp.Response rebound = http.get("/", "attacker.example:" + URI.create(console.url()).getPort());
        assertThat(rebound.status()).isEqualTo(403);
        assertThat(rebound.body()).contains("is not this console");
        assertThat(http.get("/events", "attacker.example").status()).isEqualTo(403);
        assertThat(http.get("/assets/../pom.xml", self()).status()).isEqualTo(404);
    }

    @Test
    void actionsWithoutTheTokenOrFromAnotherOriginAreRefused() throws Exception {
        String kill = "{\"action\": \"kill\", \"node\": \"peer0.org1\"}";
        assertRefused(http.post(kill, Map.of()), 403, "missing token");
        assertRefused(http.post(kill, Map.of(ConsoleSecurity.TOKEN_HEADER, "guess")), 403, "wrong token");
        assertRefused(http.post(kill, Map.of(ConsoleSecurity.TOKEN_HEADER, console.token(), "Origin", "http://attacker.example")),
                403, "Origin http://attacker.example is not this console");
        assertRefused(http.send("POST", "/api/actions", Map.of("Host", self(), "Content-Type", "application/json",
                ConsoleSecurity.TOKEN_HEADER, console.token()), kill), 403, "missing Origin");
        assertRefused(http.post(kill, Map.of(ConsoleSecurity.TOKEN_HEADER, console.token(), "Host", "attacker.example:80",
                "Origin", "http://attacker.example:80")), 403, "is not this console");
    }

    @Test
    void malformedRequestsUnknownNodesAndImpossibleActionsAreRefusedWithTheReason() throws Exception {
        Map<String, String> token = http.tokenHeaders();
        assertRefused(http.post("{\"action\": \"kill\"", token), 400, "malformed request");
        assertRefused(http.post("", token), 400, "empty body");
        assertRefused(http.post("[1, 2]", token), 400, "expected a JSON object");
        assertRefused(http.post("{\"action\": \"kill\"}", token), 400, "\"node\" must be a non-empty string");
        assertRefused(http.post("{\"action\": \"explode\", \"node\": \"peer0.org1\"}", token), 400, "unknown action \"explode\"");
        assertRefused(http.post("{\"action\": \"kill\", \"node\": \"peer7.org9\"}", token), 404,
                "no node named \"peer7.org9\" in network.json; nodes: [peer0.org1, orderer0]");
        assertRefused(http.post("{\"action\": \"partition\", \"node\": \"peer0.org1\"}", token), 409, "network.netns = true");
        assertRefused(http.post("{\"action\": \"kill\", \"node\": \"peer0.org1\"}", token), 409, "not running");
        assertRefused(http.post("{\"action\": \"pause-cutting\", \"node\": \"orderer0\", \"channel\": \"ch9\"}", token), 400,
                "orderer0 has channels [ch1]");
        assertRefused(http.post("{\"action\": \"pause-cutting\", \"node\": \"peer0.org1\", \"channel\": \"ch1\"}", token), 409,
                "applies to orderers only");
        assertRefused(http.post("{\"action\": \"load-rate\", \"node\": \"orderer0\", \"rate\": -5}", token), 400,
                "rate: expected an integer from 0 to 1000000");
        assertRefused(http.post("{\"action\": \"load-rate\", \"node\": \"orderer0\", \"rate\": 5}", token), 409,
                "orderer.load.enabled = false");
        Map<String, String> plain = Map.of(ConsoleSecurity.TOKEN_HEADER, console.token(), "Content-Type", "text/plain");
        assertRefused(http.post("{\"action\": \"kill\", \"node\": \"peer0.org1\"}", plain), 415, "application/json");
        assertRefused(http.send("GET", "/api/actions", Map.of("Host", self()), ""), 405, "use POST");
    }

    @Test
    void theEventStreamStartsWithTheHistoryThenSnapshotsWithEveryNodesActions() throws Exception {
        URI url = URI.create(console.url());
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("GET /events HTTP/1.1\r\nHost: " + self() + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
            List<String> events = new java.util.ArrayList<>();
            JsonNode snapshot = null;
            for (int lines = 0; snapshot == null && lines < 200; lines++) {
                String line = in.readLine();
                if (line.startsWith("event: ")) {
                    events.add(line.substring(7));
                } else if (line.startsWith("data: ") && events.get(events.size() - 1).equals("snapshot")) {
                    snapshot = JSON.readTree(line.substring(6));
                }
            }
            assertThat(events.get(0)).isEqualTo("history");
            assertThat(snapshot).isNotNull();
            JsonNode peer = snapshot.get("nodes").get(0);
            assertThat(peer.get("name").asText()).isEqualTo("peer0.org1");
            assertThat(peer.get("implementation").asText()).isEqualTo("fabsim");
            JsonNode partition = null;
            for (JsonNode a : peer.get("actions")) {
                if (a.get("action").asText().equals("partition")) {
                    partition = a;
                }
            }
            assertThat(partition.get("enabled").asBoolean()).isFalse();
            assertThat(partition.get("reason").asText()).contains("network.netns = true");
            assertThat(snapshot.get("channels").get(0).get("orgs").get(0).get("peers").get(0).get("up").asBoolean()).isFalse();
        }
    }

    @Test
    void anAddressOtherThanLoopbackNeedsAllowRemote() {
        assertThatThrownBy(() -> ConsoleServer.start(dir, new HostPort("0.0.0.0", 0), false, Clock.system()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--allow-remote");
    }

    private void assertRefused(RawHttp.Response response, int status, String reason) throws Exception {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(JSON.readTree(response.body()).get("error").asText()).contains(reason);
        assertThat(Files.readString(NetworkState.file(dir))).as("network.json unchanged").isEqualTo(networkJson);
    }
}
