package io.fabsim.tools.cryptogen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabsim.common.config.ConfigException;
import io.fabsim.common.config.ConfigLoader;
import io.fabsim.common.config.HostPort;
import io.fabsim.common.operations.OperationsServer;
import io.fabsim.common.operations.OperationsTls;
import io.fabsim.common.time.ManualClock;
import io.fabsim.common.tls.TlsMaterial;
import io.fabsim.tools.cryptogen.CryptoGenerator;
import io.fabsim.tools.cryptogen.CryptogenConfig;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operations endpoint over HTTPS, with cryptogen's TLS material (Fabric's operations.tls). */
class OperationsTlsTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-21T10:00:00Z"));
    @TempDir
    Path crypto;
    private Path peerTls;
    private Path userTls;
    private OperationsServer server;

    @BeforeEach
    void generate() {
        CryptoGenerator.generate(CryptogenConfig.from(ConfigLoader.fromString("""
                PeerOrgs = [{ Name = Org1, Domain = org1.example.com, EnableNodeOUs = true,
                  Template { Count = 1, SANS = ["127.0.0.1"] }, Users { Count = 1 } }]
                """)), crypto, clock);
        Path org = crypto.resolve("peerOrganizations/org1.example.com");
        peerTls = org.resolve("peers/peer0.org1.example.com/tls");
        userTls = org.resolve("users/User1@org1.example.com/tls");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private OperationsServer start(boolean clientAuth) {
        OperationsTls tls = new OperationsTls(peerTls.resolve("server.crt"), peerTls.resolve("server.key"), clientAuth,
                List.of(peerTls.resolve("ca.crt")));
        server = OperationsServer.start(new HostPort("127.0.0.1", 0), Optional.of(tls), new PrometheusRegistry(), clock);
        return server;
    }

    private int healthz(HttpClient client, String scheme) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(scheme + "://127.0.0.1:" + server.port() + "/healthz")).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private HttpClient client(Optional<TlsMaterial> identity) {
        return HttpClient.newBuilder().sslContext(OperationsTls.clientContext(
                TlsMaterial.readRoots(List.of(peerTls.resolve("ca.crt"))), identity)).build();
    }

    @Test
    void servesHttpsToAClientThatTrustsTheTlsCaAndNothingOverPlainHttp() throws Exception {
        start(false);
        assertThat(healthz(client(Optional.empty()), "https")).isEqualTo(200);
        assertThatThrownBy(() -> healthz(HttpClient.newHttpClient(), "http")).isInstanceOf(IOException.class);
    }

    @Test
    void withClientAuthRequiredOnlyAClientWithACertificateOfATrustedCaGetsAnAnswer() throws Exception {
        start(true);
        Optional<TlsMaterial> user = Optional.of(TlsMaterial.fromFolder(userTls));
        assertThat(healthz(client(user), "https")).isEqualTo(200);
        assertThatThrownBy(() -> healthz(client(Optional.empty()), "https")).isInstanceOf(IOException.class);
        assertThat(healthz(client(user), "https")).as("still serving after the refused client").isEqualTo(200);
    }

    @Test
    void configNamesTheKeyOfAnIncompleteTlsSection() {
        OperationsTls.Keys keys = OperationsTls.Keys.peer("operations.tls");
        assertThat(OperationsTls.read(ConfigLoader.fromString("operations.tls { enabled = false, clientAuthRequired = false,"
                + " cert.file = a, key.file = b, clientRootCAs.files = [] }"), keys)).isEmpty();
        assertThatThrownBy(() -> OperationsTls.read(ConfigLoader.fromString("operations.tls { enabled = false,"
                + " clientAuthRequired = true, cert.file = a, key.file = b, clientRootCAs.files = [] }"), keys))
                .isInstanceOf(ConfigException.class).hasMessageContaining("operations.tls.clientAuthRequired");
        assertThatThrownBy(() -> OperationsTls.read(ConfigLoader.fromString("operations.tls { enabled = true,"
                + " clientAuthRequired = true, cert.file = a, key.file = b, clientRootCAs.files = [] }"), keys))
                .isInstanceOf(ConfigException.class).hasMessageContaining("operations.tls.clientRootCAs.files");
        OperationsTls read = OperationsTls.read(ConfigLoader.fromString("operations.tls { enabled = true,"
                + " clientAuthRequired = true, cert.file = a.crt, key.file = b.key, clientRootCAs.files = [ca.crt] }"), keys)
                .orElseThrow();
        assertThat(read.clientAuthRequired()).isTrue();
        assertThat(read.certFile().getFileName()).hasToString("a.crt");
        assertThat(read.clientRootCaFiles()).hasSize(1);
    }
}
