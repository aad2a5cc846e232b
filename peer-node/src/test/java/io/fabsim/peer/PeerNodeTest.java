package io.fabsim.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabsim.common.config.ConfigLoader;
import io.fabsim.common.config.ConfigReader;
import io.fabsim.common.time.Clock;
import io.fabsim.ledger.testing.InMemoryLedgerManager;
import io.fabsim.ledger.testing.TestBlocks;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up, channels and the admin API of {@link PeerNode}, over an in-memory ledger and fake channels. */
class PeerNodeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final InMemoryLedgerManager ledgers = new InMemoryLedgerManager();
    private PeerNode node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    private PeerConfig config(String extra) {
        return PeerConfig.from(reader(extra));
    }

    private ConfigReader reader(String extra) {
        return ConfigLoader.fromString("""
                peer.id = peer7
                peer.localMspId = Org1MSP
                peer.listenAddress = "127.0.0.1:0"
                operations.listenAddress = "127.0.0.1:0"
                peer.fileSystemPath = "%s"
                """.formatted(dir.resolve("ledgers")) + extra);
    }

    private PeerNode start(PeerConfig config, FakeChannelFactory factory) {
        return PeerNode.start(config, Clock.system(), services -> new PeerNode.Assembly() {
            @Override
            public io.fabsim.ledger.LedgerManager ledgers() {
                return ledgers;
            }

            @Override
            public ChannelFactory channelFactory() {
                return factory;
            }

            @Override
            public void close() {
            }
        });
    }

    @Test
    void startsEveryLedgerAndSkipsOnesThatFailToOpenOrInitialize() throws Exception {
        ledgers.create(TestBlocks.genesis("ch1"));
        ledgers.create(TestBlocks.genesis("ch2"));
        ledgers.create(TestBlocks.genesis("badconfig"));
        ledgers.markBroken("corrupt");
        FakeChannelFactory factory = new FakeChannelFactory(LeaderMode.STATIC);
        factory.failing.add("badconfig");

        node = start(config("peer.gossip.useLeaderElection = false\npeer.gossip.orgLeader = true"), factory);

        assertThat(node.channelIds()).containsExactly("ch1", "ch2");
        assertThat(node.status().channels()).extracting(PeerStatus.ChannelStatus::mode).containsOnly("static");
    }

    @Test
    void refusesToStartWithBothLeaderFlagsBeforeOpeningAnything() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        ConfigReader both = reader("""
                peer.gossip.useLeaderElection = true
                peer.gossip.orgLeader = true
                peer.listenAddress = "127.0.0.1:%d"
                """.formatted(port));

        assertThatThrownBy(() -> PeerNode.start(both, Clock.system())).isInstanceOf(PeerStartRefusedException.class)
                .hasMessage("Setting both orgLeader and useLeaderElection to true isn't supported, aborting execution");

        assertThat(dir.resolve("ledgers")).doesNotExist();
        try (ServerSocket again = new ServerSocket(port, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void neitherFlagMeansModeNoneAndNoDelivery() throws Exception {
        ledgers.create(TestBlocks.genesis("ch1"));

        node = start(config("peer.gossip.useLeaderElection = false\npeer.gossip.orgLeader = false"),
                new FakeChannelFactory(LeaderMode.NONE));

        assertThat(node.config().leaderMode()).isEqualTo(LeaderMode.NONE);
        PeerStatus.ChannelStatus status = node.status().channels().get(0);
        assertThat(status.mode()).isEqualTo("none");
        assertThat(status.delivering()).isFalse();
        assertThat(status.leaderId()).isNull();
    }

    @Test
    void joinsAtRunTimeThroughTheAdminApiAndRefusesASecondJoin() throws Exception {
        node = start(config(""), new FakeChannelFactory(LeaderMode.ELECTED));
        byte[] genesis = TestBlocks.genesis("newch").toByteArray();

        HttpResponse<String> first = post("/admin/v1/channels", genesis);
        HttpResponse<String> second = post("/admin/v1/channels", genesis);

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(JSON.readTree(first.body()).get("channel").asText()).isEqualTo("newch");
        assertThat(node.channelIds()).containsExactly("newch");
        assertThat(second.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(second.body()).get("error").asText())
                .isEqualTo("channel newch: already joined (its ledger exists)");
        assertThat(JSON.readTree(get("/admin/v1/channels").body()).get("channels").get(0).asText()).isEqualTo("newch");
    }

    @Test
    void refusesABlockThatIsNotAConfigBlockWithAReason() throws Exception {
        node = start(config(""), new FakeChannelFactory(LeaderMode.ELECTED));
        Block data = TestBlocks.next(TestBlocks.genesis("ch9"), "ch9");

        HttpResponse<String> response = post("/admin/v1/channels", data.toByteArray());
        HttpResponse<String> garbage = post("/admin/v1/channels", new byte[] {1, 2, 3, 4, 5});

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("not a config block");
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(garbage.body()).contains("not a common.Block");
        assertThat(node.channelIds()).isEmpty();
        assertThat(ledgers.exists("ch9")).isFalse();
    }

    @Test
    void getinfoReportsHeightAndHashesAsFabricDoes() throws Exception {
        Block genesis = TestBlocks.genesis("ch1");
        Block one = TestBlocks.next(genesis, "ch1");
        ledgers.create(genesis).append(one);
        node = start(config(""), new FakeChannelFactory(LeaderMode.ELECTED));

        JsonNode info = JSON.readTree(get("/admin/v1/channels/ch1").body());

        assertThat(info.get("height").asLong()).isEqualTo(2);
        assertThat(Base64.getDecoder().decode(info.get("currentBlockHash").asText()))
                .isEqualTo(io.fabsim.common.protoutil.BlockHashing.headerHash(one.getHeader()));
        assertThat(Base64.getDecoder().decode(info.get("previousBlockHash").asText()))
                .isEqualTo(io.fabsim.common.protoutil.BlockHashing.headerHash(genesis.getHeader()));
        assertThat(get("/admin/v1/channels/nope").statusCode()).isEqualTo(404);
    }

    @Test
    void statusHasTheDocumentedShape() throws Exception {
        Block genesis = TestBlocks.genesis("ch1");
        ledgers.create(genesis);
        node = start(config("peer.gossip.useLeaderElection = false\npeer.gossip.orgLeader = true"),
                new FakeChannelFactory(LeaderMode.STATIC));

        JsonNode status = JSON.readTree(get("/status").body());

        assertThat(status.get("node").asText()).isEqualTo("peer7");
        assertThat(status.get("mspId").asText()).isEqualTo("Org1MSP");
        assertThat(status.get("role").asText()).isEqualTo("peer");
        JsonNode ch = status.get("channels").get(0);
        assertThat(ch.get("channel").asText()).isEqualTo("ch1");
        assertThat(ch.get("height").asLong()).isEqualTo(1);
        assertThat(ch.get("currentBlockHash").asText())
                .isEqualTo(HexFormat.of().formatHex(io.fabsim.common.protoutil.BlockHashing.headerHash(genesis.getHeader())));
        assertThat(ch.get("mode").asText()).isEqualTo("static");
        assertThat(ch.get("leader").asBoolean()).isTrue();
        assertThat(ch.get("leaderId").asText()).isEqualTo("peer0");
        assertThat(ch.get("delivering").asBoolean()).isTrue();
        assertThat(ch.get("streamingFrom").asText()).isEqualTo("127.0.0.1:7050");
        assertThat(ch.size()).isEqualTo(8);
    }

    @Test
    void metricsAndHealthzAreServed() throws Exception {
        ledgers.create(TestBlocks.genesis("ch1"));
        node = start(config("peer.gossip.useLeaderElection = false\npeer.gossip.orgLeader = true"),
                new FakeChannelFactory(LeaderMode.STATIC));

        String metrics = get("/metrics").body();

        assertThat(metrics).contains("gossip_leader_election_leader{channel=\"ch1\"} 1.0");
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    void closeStopsChannelsThenClosesLedgers() {
        node = start(config(""), new FakeChannelFactory(LeaderMode.ELECTED));
        FakeChannelFactory factory = new FakeChannelFactory(LeaderMode.ELECTED);
        node.close();
        node = start(config(""), factory);
        try {
            node.join(TestBlocks.genesis("ch1"));
        } catch (ChannelJoinException e) {
            throw new AssertionError(e);
        }

        node.close();

        assertThat(factory.created).hasSize(1);
        assertThat(factory.created.get(0).closed).isTrue();
        assertThat(ledgers.isClosed()).isTrue();
        node = null;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + node.operationsAddress().port() + path);
    }

}
