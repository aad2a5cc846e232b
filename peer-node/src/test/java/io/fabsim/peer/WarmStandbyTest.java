package io.fabsim.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabsim.common.config.ConfigReader;
import io.fabsim.common.time.Clock;
import io.fabsim.deliverserver.testing.TestOrderer;
import io.fabsim.tools.testing.GeneratedCrypto;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warm standby connection (fabsim's {@code peer.deliveryclient.fabsim.warmStandby}) on assembled
 * peers: two Org1 peers electing with real JGroups on loopback, TLS to a test orderer (the peers
 * present their TLS certificates), counted through each peer's {@code /metrics}.
 */
class WarmStandbyTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String DELIVER_DIALS = "deliver_client_dials_total{channel=\"" + TestOrderers.CHANNEL
            + "\",purpose=\"deliver\"}";
    private static final String STANDBY_DIALS = "deliver_client_dials_total{channel=\"" + TestOrderers.CHANNEL
            + "\",purpose=\"standby\"}";
    private static final String STANDBY_READY = "deliver_client_standby_ready{channel=\"" + TestOrderers.CHANNEL + "\"}";

    @TempDir
    Path dir;

    private TestOrderer orderer;
    private final List<PeerNode> peers = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        peers.forEach(PeerNode::close);
        if (orderer != null) {
            orderer.close();
        }
    }

    /**
     * Scenario: two peers elect; the leader stops. Expected: the peer that lost the election has its
     * standby connection open (ready, dialled once for standby, never for a stream); it takes over
     * and streams the blocks cut after the stop on that connection: still no dial for a stream.
     */
    @Test
    void theFollowerKeepsAConnectionOpenAndTakesOverWithoutDialling() throws Exception {
        startTwoPeers("");
        PeerNode leader = awaitLeader();
        PeerNode follower = other(leader);
        await().atMost(WAIT).until(() -> metric(follower, STANDBY_READY).orElse(0) == 1);
        assertThat(metric(follower, STANDBY_DIALS).orElse(0)).isGreaterThanOrEqualTo(1);
        // the follower may have led for a moment while the cluster formed; what counts is no dial from here on
        double dialsBefore = metric(follower, DELIVER_DIALS).orElse(0);

        long before = ElectionModeTest.height(follower);
        leader.close();
        peers.remove(leader);
        orderer.cut(2);

        await().atMost(WAIT).until(() -> ElectionModeTest.status(follower).streamingFrom() != null
                && ElectionModeTest.height(follower) >= before + 2);
        assertThat(metric(follower, DELIVER_DIALS).orElse(0)).isEqualTo(dialsBefore);
        assertThat(metric(follower, STANDBY_READY).orElse(0)).isZero();
    }

    /**
     * Scenario: the same two peers in the fabric-exact profile. Expected: no standby connection is
     * dialled or reported; the take-over dials the orderer, as Fabric's deliver client does.
     */
    @Test
    void theFabricExactProfileKeepsNoStandbyConnection() throws Exception {
        startTwoPeers("peer.gossip.fabsim.profile = fabric-exact");
        PeerNode leader = awaitLeader();
        PeerNode follower = other(leader);
        orderer.cut(1);
        await().atMost(WAIT).until(() -> ElectionModeTest.height(leader) == 2);
        assertThat(metric(follower, STANDBY_DIALS)).isEmpty();
        assertThat(metric(follower, STANDBY_READY)).isEmpty();

        double dialsBefore = metric(follower, DELIVER_DIALS).orElse(0);
        leader.close();
        peers.remove(leader);
        orderer.cut(1);

        await().atMost(WAIT).until(() -> ElectionModeTest.status(follower).streamingFrom() != null);
        assertThat(metric(follower, DELIVER_DIALS).orElse(0)).isGreaterThan(dialsBefore);
        assertThat(metric(follower, STANDBY_DIALS)).isEmpty();
    }

    private void startTwoPeers(String extra) throws Exception {
        orderer = TestOrderers.start(GeneratedCrypto.dir(), true);
        List<Integer> ports = List.of(ElectionModeTest.freePort(), ElectionModeTest.freePort());
        for (int i = 0; i < 2; i++) {
            PeerNode peer = PeerNode.start(config("peer" + i, ports.get(i), ports, extra), Clock.system());
            peers.add(peer);
            peer.join(orderer.genesis());
        }
    }

    private PeerNode awaitLeader() {
        await().atMost(WAIT).until(() -> peers.stream()
                .filter(p -> ElectionModeTest.status(p).streamingFrom() != null).count() == 1);
        return peers.stream().filter(p -> ElectionModeTest.status(p).streamingFrom() != null).findFirst().orElseThrow();
    }

    private PeerNode other(PeerNode peer) {
        return peers.get(0) == peer ? peers.get(1) : peers.get(0);
    }

    /** The value of the sample {@code series} (name and labels as Prometheus prints them), if exposed. */
    private OptionalDouble metric(PeerNode peer, String series) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + peer.operationsAddress().port() + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build();
        String body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        for (String line : body.split("\n")) {
            if (line.startsWith(series + " ")) {
                return OptionalDouble.of(Double.parseDouble(line.substring(series.length() + 1).trim()));
            }
        }
        return OptionalDouble.empty();
    }

    /** An Org1 election peer (see {@link ElectionModeTest}) with TLS to the orderer, plus {@code extra}. */
    private ConfigReader config(String name, int port, List<Integer> ports, String extra) {
        Path tls = GeneratedCrypto.dir().resolve("crypto-config/peerOrganizations/org1.example.com/peers/"
                + name + ".org1.example.com/tls");
        return ElectionModeTest.config(name, dir.resolve(name), port, ports, """
                peer.tls { enabled = true, cert.file = "%s", key.file = "%s", rootcert.file = "%s" }
                %s
                """.formatted(tls.resolve("server.crt"), tls.resolve("server.key"), tls.resolve("ca.crt"), extra));
    }
}
