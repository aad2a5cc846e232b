package io.fabsim.common.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabsim.common.config.HostPort;
import io.fabsim.common.time.ManualClock;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class OperationsServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-21T10:00:00Z"));
    private OperationsServer server;

    @BeforeEach
    void start() {
        server = OperationsServer.start(new HostPort("127.0.0.1", 0), registry, clock);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void bindsAFreePortAndReportsIt() {
        assertThat(server.port()).isPositive();
        assertThat(server.address()).isEqualTo(new HostPort("127.0.0.1", server.port()));
    }

    @Test
    void healthzIsOkWithFabricsBodyWhenEveryCheckPasses() throws Exception {
        server.registerChecker("ledger", Optional::empty);

        HttpResponse<String> response = get("/healthz");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("status").asText()).isEqualTo("OK");
        assertThat(body.get("time").asText()).isEqualTo("2026-11-21T10:00:00Z");
        assertThat(body.has("failed_checks")).isFalse();
    }

    @Test
    void healthzIs503WithTheFailedChecks() throws Exception {
        server.registerChecker("ledger", Optional::empty);
        server.registerChecker("deliver", () -> Optional.of("no orderer reachable"));
        server.registerChecker("gossip", () -> {
            throw new IllegalStateException("gossip stopped");
        });

        HttpResponse<String> response = get("/healthz");

        assertThat(response.statusCode()).isEqualTo(503);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("status").asText()).isEqualTo("Service Unavailable");
        assertThat(body.get("time").asText()).isEqualTo("2026-11-21T10:00:00Z");
        assertThat(body.get("failed_checks")).hasSize(2);
        assertThat(body.get("failed_checks").get(0).get("component").asText()).isEqualTo("deliver");
        assertThat(body.get("failed_checks").get(0).get("reason").asText()).isEqualTo("no orderer reachable");
        assertThat(body.get("failed_checks").get(1).get("component").asText()).isEqualTo("gossip");
        assertThat(body.get("failed_checks").get(1).get("reason").asText()).isEqualTo("gossip stopped");
    }

    @Test
    void metricsServesTheRegistryAsPrometheusText() throws Exception {
        Gauge height = Gauge.builder().name("ledger_blockchain_height").help("height").labelNames("channel")
                .register(registry);
        height.labelValues("ch1").set(42);

        HttpResponse<String> response = get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("text/plain"));
        assertThat(response.body()).contains("ledger_blockchain_height{channel=\"ch1\"} 42.0");
    }

    @Test
    void statusServesTheSupplierAsJson() throws Exception {
        record Channel(String channel, long height) {
        }
        AtomicReference<Long> height = new AtomicReference<>(3L);
        server.setStatus(() -> Map.of("node", "peer0", "channels", List.of(new Channel("ch1", height.get()))));

        JsonNode first = JSON.readTree(get("/status").body());
        height.set(4L);
        JsonNode second = JSON.readTree(get("/status").body());

        assertThat(first.get("node").asText()).isEqualTo("peer0");
        assertThat(first.get("channels").get(0).get("height").asLong()).isEqualTo(3);
        assertThat(second.get("channels").get(0).get("height").asLong()).isEqualTo(4);
    }

    @Test
    void logspecChangesLogbackLevelsAtRunTime() throws Exception {
        ch.qos.logback.classic.Logger gossip =
                (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.fabsim.test.gossip.state");
        ch.qos.logback.classic.Logger root =
                (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.classic.LoggerContext context = root.getLoggerContext();
        Map<String, ch.qos.logback.classic.Level> before = new java.util.HashMap<>();
        context.getLoggerList().forEach(l -> before.put(l.getName(), l.getLevel()));
        try {
            HttpResponse<String> put = send("PUT", "/logspec", "{\"spec\":\"warn:io.fabsim.test.gossip=debug\"}");
            assertThat(put.statusCode()).isEqualTo(204);
            assertThat(gossip.getEffectiveLevel()).isEqualTo(ch.qos.logback.classic.Level.DEBUG);
            assertThat(root.getLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN);
            assertThat(JSON.readTree(get("/logspec").body()).get("spec").asText())
                    .isEqualTo("warn:io.fabsim.test.gossip=debug");

            assertThat(send("PUT", "/logspec", "{\"spec\":\"error\"}").statusCode()).isEqualTo(204);
            assertThat(gossip.getEffectiveLevel()).isEqualTo(ch.qos.logback.classic.Level.ERROR);
        } finally {
            context.getLoggerList().forEach(l -> l.setLevel(before.get(l.getName())));
        }
    }

    @Test
    void logspecRefusesABadSpecAndKeepsTheOldOne() throws Exception {
        String before = JSON.readTree(get("/logspec").body()).get("spec").asText();

        HttpResponse<String> put = send("PUT", "/logspec", "{\"spec\":\"io.fabsim=loud\"}");

        assertThat(put.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(put.body()).get("error").asText()).contains("unknown level \"loud\"");
        assertThat(JSON.readTree(get("/logspec").body()).get("spec").asText()).isEqualTo(before);
        assertThat(send("PUT", "/logspec", "not json").statusCode()).isEqualTo(400);
    }

    @Test
    void extraHandlersServeTheirPathAndEverythingUnderIt() throws Exception {
        server.addHandler("/participation/v1/channels", request ->
                OperationsResponse.json(200, Map.of("method", request.method(), "path", request.path(),
                        "body", request.bodyText(), "q", request.query().getOrDefault("x", ""))));
        server.addHandler("/participation/v1/channels/special", request -> {
            throw new OperationsException(409, "channel already exists");
        });

        JsonNode body = JSON.readTree(send("POST", "/participation/v1/channels/ch1?x=a%20b", "hello").body());
        HttpResponse<String> conflict = get("/participation/v1/channels/special");

        assertThat(body.get("method").asText()).isEqualTo("POST");
        assertThat(body.get("path").asText()).isEqualTo("/participation/v1/channels/ch1");
        assertThat(body.get("body").asText()).isEqualTo("hello");
        assertThat(body.get("q").asText()).isEqualTo("a b");
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(conflict.body()).get("error").asText()).isEqualTo("channel already exists");
    }

    @Test
    void unknownPathsWrongMethodsAndFailingHandlersGetErrorStatuses() throws Exception {
        server.addHandler("/boom", request -> {
            throw new IllegalStateException("kaput");
        });

        assertThat(get("/nothing").statusCode()).isEqualTo(404);
        assertThat(send("POST", "/healthz", "").statusCode()).isEqualTo(405);
        HttpResponse<String> boom = get("/boom");
        assertThat(boom.statusCode()).isEqualTo(500);
        assertThat(boom.body()).contains("kaput");
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    void builtInRoutesCannotBeReplaced() {
        assertThatThrownBy(() -> server.addHandler("/metrics", r -> OperationsResponse.noContent()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("built in");
    }

    @Test
    void aPortInUseIsReportedWithTheAddress() {
        HostPort taken = new HostPort("127.0.0.1", server.port());
        assertThatThrownBy(() -> OperationsServer.start(taken, registry, clock))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("127.0.0.1:" + server.port());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send("GET", path, null);
    }

    private HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, publisher).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
