package io.fabsim.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabsim.common.protoutil.BlockHashing;
import io.fabsim.common.testing.FabricVectors;
import io.fabsim.common.time.Clock;
import io.fabsim.common.verify.InvalidBlockException;
import io.fabsim.ledger.ChainInfo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What an assembled peer does with the blocks its deliver client gets from a test orderer (the
 * orderer's Deliver handler over an in-memory chain): whether it gossips them
 * ({@code peer.deliveryclient.blockGossipEnabled}), and how it gets back a block its committer
 * refused. Each test says its scenario; counts come from the peers' {@code /metrics}.
 */
class OrdererBlockHandoffTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private TestOrderer orderer;
    private PeerNode leader;
    private PeerNode follower;

    @BeforeEach
    void startOrderer() throws Exception {
        orderer = new TestOrderer();
    }

    @AfterEach
    void stop() {
        if (follower != null) {
            follower.close();
        }
        if (leader != null) {
            leader.close();
        }
        orderer.close();
    }

    @ParameterizedTest(name = "blockGossipEnabled = {0}")
    @ValueSource(booleans = {true, false})
    void theLeaderPushesBlocksFromTheOrdererToItsOrgOnlyWhenBlockGossipIsEnabled(boolean enabled) throws Exception {
        // Scenario: peer0 is Org1's static leader with peer.deliveryclient.blockGossipEnabled = <enabled>;
        // peer1 has neither leader flag, knows peer0 (bootstrap) and runs state transfer. Once peer0
        // knows peer1 on the channel, the orderer cuts 4 blocks.
        // Expected: peer1 commits all 4. With true, peer0 pushed them and peer1 received gossip data
        // messages; with false, peer0 pushed none, peer1 received none and caught up by state transfer.
        leader = PeerNode.start(StaticLeaderTest.peerConfig(dir.resolve("leader"), """
                peer.gossip.useLeaderElection = false
                peer.gossip.orgLeader = true
                peer.deliveryclient.blockGossipEnabled = %s
                """.formatted(enabled)), Clock.system());
        leader.join(orderer.genesis());
        follower = PeerNode.start(StaticLeaderTest.peerConfig(dir.resolve("follower"), """
                peer.id = peer1.org1
                peer.mspConfigPath = "%s"
                peer.gossip.useLeaderElection = false
                peer.gossip.orgLeader = false
                peer.gossip.bootstrap = ["127.0.0.1:%d"]
                peer.gossip.state.checkInterval = 500ms
                """.formatted(peerMsp("peer1"), leader.grpcPort())), Clock.system());
        follower.join(orderer.genesis());
        await().atMost(WAIT).until(() -> metric(leader, "gossip_membership_total_peers_known") == 1);

        orderer.cut(4);

        awaitHeight(follower, 5);
        double pushed = metric(leader, "gossip_blocks_pushed_total");
        double received = metric(follower, "gossip_blocks_received_total");
        if (enabled) {
            assertThat(pushed).as("blocks peer0 pushed").isGreaterThan(0);
            assertThat(received).as("gossip data messages peer1 received").isGreaterThan(0);
        } else {
            assertThat(pushed).as("blocks peer0 pushed").isZero();
            assertThat(received).as("gossip data messages peer1 received").isZero();
            assertThat(metric(follower, "gossip_state_requests_sent_total")).as("state requests of peer1").isGreaterThan(0);
        }
    }

    @Test
    void aBlockTheCommitterRefusedAfterTheDeliverClientHandedItOverIsFetchedAgain() throws Exception {
        // Scenario: a static leader whose transaction validation fails once, for block 3 (a stand-in
        // for a transient ledger read failure): the committer refuses block 3 after the deliver client
        // handed it over with blocks 1 to 5. Then the orderer cuts two more blocks.
        // Expected: the next block handed over after the refusal (4, 5 or 6) finds block 3 missing, so
        // the deliver client asks again from the ledger height (3); the peer commits every block, 1
        // to 7, with the orderer's hashes. (Before, the client asked from 6 on and the peer stayed at 3.)
        leader = PeerNode.start(StaticLeaderTest.peerConfig(dir, """
                peer.gossip.useLeaderElection = false
                peer.gossip.orgLeader = true
                """), Clock.system());
        leader.join(orderer.genesis());
        LedgerChannel channel = (LedgerChannel) leader.channel(TestOrderer.CHANNEL).orElseThrow();
        FabricTxValidator real = new FabricTxValidator(channel.store(), channel::config);
        AtomicInteger refusals = new AtomicInteger();
        channel.committer().setTxValidator(block -> {
            if (block.getHeader().getNumber() == 3 && refusals.getAndIncrement() == 0) {
                throw new InvalidBlockException(InvalidBlockException.Reason.MALFORMED, "fake-ledger-read-failure");
            }
            return real.validate(block);
        });

        orderer.cut(5);
        await().atMost(WAIT).until(() -> refusals.get() >= 1);
        orderer.cut(2);

        awaitHeight(leader, 8);
        assertThat(refusals).as("block 3 validated twice: refused, then committed").hasValue(2);
    }

    private void awaitHeight(PeerNode peer, long height) {
        await().atMost(WAIT).until(() -> peer.chainInfo(TestOrderer.CHANNEL).map(ChainInfo::height).orElse(0L) >= height);
        assertThat(peer.chainInfo(TestOrderer.CHANNEL).orElseThrow().currentBlockHash())
                .isEqualTo(BlockHashing.headerHash(orderer.block(height - 1).getHeader()));
    }

    private static Path peerMsp(String peer) {
        return FabricVectors.dir().resolve("crypto-config/peerOrganizations/org1.example.com/peers/" + peer
                + ".org1.example.com/msp");
    }

    /** The value of {@code name} for this test's channel on the peer's {@code /metrics} (0 when absent). */
    private double metric(PeerNode peer, String name) throws Exception {
        URI uri = URI.create("http://" + peer.operationsAddress() + "/metrics");
        String body = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^" + name + "\\{channel=\"" + TestOrderer.CHANNEL + "\"} (\\S+)$").matcher(body);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
