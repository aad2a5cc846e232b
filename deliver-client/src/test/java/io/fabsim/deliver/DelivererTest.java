package io.fabsim.deliver;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.protobuf.ByteString;
import io.fabsim.common.protoutil.BlockHashing;
import io.fabsim.common.verify.InvalidBlockException;
import io.fabsim.deliver.testing.FakeDialer.Script;
import io.fabsim.deliver.testing.TestBlocks;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/** The scenarios of Fabric's deliverer_test.go, over fakes and a manual clock. */
class DelivererTest {

    private Harness h;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void setUp() {
        h = new Harness();
        logs.start();
        ((Logger) LoggerFactory.getLogger(Deliverer.class)).addAppender(logs);
    }

    @AfterEach
    void tearDown() {
        h.close();
        ((Logger) LoggerFactory.getLogger(Deliverer.class)).detachAppender(logs);
        assertThat(h.dialer.openConnections.get()).as("connections left open").isZero();
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    private long seekStart(int request) throws Exception {
        Payload payload = Payload.parseFrom(h.dialer.sent.get(request).getPayload());
        return SeekInfo.parseFrom(payload.getData()).getStart().getSpecified().getNumber();
    }

    private boolean logged(String text) {
        return logs.list.stream().anyMatch(e -> e.getFormattedMessage().contains(text));
    }

    @Test
    void blocksArriveInOrderAndAreHandedToTheSink() throws Exception {
        h.scripts(Script.blocks(h.blocks(5, 9))).start();

        await().atMost(10, SECONDS).until(() -> h.sink.blocks.size() == 5);
        assertThat(h.sink.numbers()).containsExactly(5L, 6L, 7L, 8L, 9L);
        assertThat(h.sink.blocks.get(0)).isEqualTo(h.chain.get(5));
        assertThat(h.sink.channels).containsOnly(Harness.CHANNEL);
        assertThat(h.dialer.dials()).isEqualTo(1);
        assertThat(seekStart(0)).isEqualTo(5);
        assertThat(h.clock.sleeps()).isEmpty();
        assertThat(h.verifier.verified).containsExactly(5L, 6L, 7L, 8L, 9L);
        assertThat(logged("Connected to ordering service orderer0:7050")).isTrue();
    }

    @Test
    void anEmptyLedgerSeeksTheOldestBlockWithoutAPreviousHash() throws Exception {
        h.ledger.set(0, null);
        h.start();

        await().atMost(10, SECONDS).until(() -> h.dialer.sent.size() == 1);
        Payload payload = Payload.parseFrom(h.dialer.sent.get(0).getPayload());
        assertThat(SeekInfo.parseFrom(payload.getData()).getStart().hasOldest()).isTrue();
    }

    static Stream<Arguments> connectionFailures() {
        return Stream.of(
                Arguments.of("dial", Script.dialFails()),
                Arguments.of("deliver", Script.deliverFails()),
                Arguments.of("send", Script.sendFails()),
                Arguments.of("recv", Script.idle().thenRecvError("fake-recv-error")),
                Arguments.of("hang-up", Script.idle().thenHangUp()),
                Arguments.of("status-success", Script.idle().thenStatus(Status.SUCCESS)),
                Arguments.of("status-forbidden", Script.idle().thenStatus(Status.FORBIDDEN)));
    }

    @ParameterizedTest(name = "{0} error: back off 100 ms and retry another orderer")
    @MethodSource("connectionFailures")
    void eachConnectionErrorBacksOffAndRetries(String kind, Script failing) throws Exception {
        h.scripts(failing, Script.blocks(h.blocks(5, 5))).start();

        await().atMost(10, SECONDS).until(() -> h.sink.blocks.size() == 1);
        assertThat(h.clock.sleeps()).containsExactly(ms(100));
        assertThat(h.dialer.dials()).isEqualTo(2);
        assertThat(h.dialer.dialed.get(0).address()).isEqualTo("orderer0:7050");
        assertThat(h.dialer.dialed.get(1).address()).as("avoids the orderer that just failed").isEqualTo("orderer1:7050");
        assertThat(h.dialer.closedConnections.get()).isEqualTo(kind.equals("dial") ? 0 : 1);
        assertThat(logged("Disconnected from ordering service: orderer orderer0:7050")).isTrue();
    }

    @Test
    void consecutiveErrorsBackOffExponentially() throws Exception {
        h.scripts(Script.deliverFails(), Script.deliverFails(), Script.deliverFails(), Script.blocks(h.blocks(5, 5))).start();

        await().atMost(10, SECONDS).until(() -> h.sink.blocks.size() == 1);
        assertThat(h.clock.sleeps()).containsExactly(ms(100), ms(120), ms(144));
    }

    @Test
    void aBlockResetsTheFailureCount() throws Exception {
        h.scripts(Script.idle().thenRecvError("e1"), Script.idle().thenRecvError("e2"),
                Script.blocks(h.blocks(5, 5)).thenRecvError("e3"), Script.blocks(h.blocks(6, 6))).start();

        await().atMost(10, SECONDS).until(() -> h.sink.blocks.size() == 2);
        assertThat(h.clock.sleeps()).containsExactly(ms(100), ms(120), ms(100));
        assertThat(seekStart(3)).isEqualTo(6);
    }

    @Test
    void anElectedLeaderGivesUpAfterTheTotalThresholdAndYieldsOnce() throws Exception {
        h.dialer.setScripts(i -> i < 500 ? Script.deliverFails() : Script.idle());
        h.start(Harness.fabricTestConfig(), false);

        await().atMost(20, SECONDS).until(() -> h.finalized.get() == 1 && !Harness.loopAlive());
        List<Duration> sleeps = h.clock.sleeps();
        assertThat(sleeps).hasSize(380);
        assertThat(sleeps.get(25)).isEqualTo(ms(9539));
        assertThat(sleeps.get(26)).isEqualTo(Duration.ofSeconds(10));
        assertThat(sleeps.get(379)).isEqualTo(Duration.ofSeconds(10));
        assertThat(h.dialer.dials()).isEqualTo(380 + 1);
        assertThat(h.finalized.get()).isEqualTo(1);
        assertThat(logged("giving up and yielding leadership")).isTrue();
        assertThat(h.service.isDelivering(Harness.CHANNEL)).isFalse();
        h.dialer.setScripts(i -> Script.idle());
        h.service.startDeliverForChannel(Harness.CHANNEL, h.ledger, h.finalized::incrementAndGet);
        assertThat(h.service.isDelivering(Harness.CHANNEL)).as("an ended loop may be started again").isTrue();
        h.service.stopDeliverForChannel(Harness.CHANNEL);
        assertThat(h.finalized.get()).isEqualTo(1);
    }

    @Test
    void shortBurstsOfErrorsNeverReachTheTotalThreshold() throws Exception {
        h.dialer.setScripts(i -> {
            if (i >= 900) {
                return Script.idle();
            }
            return i % 300 == 299
                    ? Script.blocks(List.of(h.chain.get(5 + i / 300))).thenRecvError("fake-recv-error")
                    : Script.idle().thenRecvError("fake-recv-error");
        });
        h.start(Harness.fabricTestConfig(), false);

        await().atMost(30, SECONDS).until(() -> h.dialer.dials() == 901);
        List<Duration> sleeps = h.clock.sleeps();
        assertThat(sleeps).hasSize(900);
        assertThat(sleeps.get(0)).isEqualTo(ms(100));
        assertThat(sleeps.get(25)).isEqualTo(ms(9539));
        assertThat(sleeps.get(298)).isEqualTo(Duration.ofSeconds(10));
        assertThat(sleeps.get(299)).isEqualTo(ms(100));
        assertThat(sleeps.get(598)).isEqualTo(Duration.ofSeconds(10));
        assertThat(sleeps.get(599)).isEqualTo(ms(100));
        assertThat(sleeps.get(899)).isEqualTo(ms(100));
        assertThat(h.sink.numbers()).containsExactly(5L, 6L, 7L);
        assertThat(h.finalized.get()).isZero();
        assertThat(Harness.loopAlive()).isTrue();
    }

    @Test
    void aStaticLeaderRetriesForever() throws Exception {
        h.dialer.setScripts(i -> i < 500 ? Script.deliverFails() : Script.blocks(h.blocks(5, 5)));
        h.start(Harness.fabricTestConfig(), true);

        await().atMost(20, SECONDS).until(() -> h.sink.blocks.size() == 1);
        List<Duration> sleeps = h.clock.sleeps();
        assertThat(sleeps).hasSize(500);
        assertThat(sleeps.get(26)).isEqualTo(Duration.ofSeconds(10));
        assertThat(sleeps.get(499)).isEqualTo(Duration.ofSeconds(10));
        assertThat(h.finalized.get()).isZero();
        assertThat(Harness.loopAlive()).isTrue();
        assertThat(logged("peer is a static leader, ignoring peer.deliveryclient.reconnectTotalTimeThreshold")).isTrue();
    }

    static Stream<Arguments> invalidBlocks() {
        Function<Harness, Block> wrongNumber = x -> x.chain.get(6);
        Function<Harness, Block> previousHash = x -> TestBlocks.withPreviousHash(x.chain.get(5), ByteString.copyFromUtf8("not-the-hash"));
        Function<Harness, Block> dataHash = x -> TestBlocks.withDataByteChanged(x.chain.get(5));
        Function<Harness, Block> signature = x -> TestBlocks.withSignatureAltered(x.chain.get(5));
        Function<Harness, Block> malformed = x -> TestBlocks.withoutMetadata(x.chain.get(5));
        return Stream.of(
                Arguments.of(InvalidBlockException.Reason.WRONG_NUMBER, wrongNumber),
                Arguments.of(InvalidBlockException.Reason.PREVIOUS_HASH_MISMATCH, previousHash),
                Arguments.of(InvalidBlockException.Reason.DATA_HASH_MISMATCH, dataHash),
                Arguments.of(InvalidBlockException.Reason.BAD_SIGNATURE, signature),
                Arguments.of(InvalidBlockException.Reason.MALFORMED, malformed));
    }

    @ParameterizedTest(name = "{0}: not passed on, reconnect to another orderer")
    @MethodSource("invalidBlocks")
    void anInvalidBlockIsNeverPassedOnAndTheClientReconnectsElsewhere(InvalidBlockException.Reason reason,
            Function<Harness, Block> bad) throws Exception {
        h.scripts(Script.blocks(List.of(bad.apply(h))), Script.blocks(h.blocks(5, 7))).start();

        await().atMost(10, SECONDS).until(() -> h.sink.blocks.size() == 3);
        assertThat(h.sink.numbers()).containsExactly(5L, 6L, 7L);
        assertThat(h.sink.blocks.get(0).toByteString()).isEqualTo(h.chain.get(5).toByteString());
        assertThat(h.clock.sleeps()).containsExactly(ms(100));
        assertThat(h.dialer.dialed.get(1).address()).isEqualTo("orderer1:7050");
        assertThat(h.dialer.closeSends.get()).isGreaterThanOrEqualTo(1);
        assertThat(h.registry.scrape().stream()
                .filter(m -> m.getMetadata().getPrometheusName().equals("deliver_client_blocks_rejected"))
                .flatMap(m -> m.getDataPoints().stream())
                .anyMatch(p -> p.getLabels().get("reason").equals(reason.name().toLowerCase()))).isTrue();
        assertThat(logged("could not be verified (" + reason + ")")).isTrue();
    }

    @Test
    void aConfigBlockUpdatesTheVerifierAndRefreshesTheEndpointsWithoutSleeping() throws Exception {
        OrdererAddresses next = new OrdererAddresses(List.of(), Map.of("OrdererOrg", new OrdererAddresses.Org(
                List.of("orderer2:7050", "orderer3:7050"), List.of(ByteString.copyFromUtf8("new-ca")))));
        h = new Harness(Harness.TWO_ORDERERS, b -> TestBlocks.configMarker(b).equals("move") ? next : Harness.TWO_ORDERERS);
        Block config = h.blocks.nextConfig(h.chain.get(4), "move");
        Block after = h.blocks.next(config);
        h.scripts(Script.blocks(List.of(config, after)), Script.blocks(List.of(after))).start();

        await().atMost(10, SECONDS).until(() -> h.sink.blocks.size() == 2);
        assertThat(h.sink.numbers()).containsExactly(5L, 6L);
        assertThat(h.verifier.configUpdates).containsExactly(5L);
        assertThat(h.dialer.dials()).isEqualTo(2);
        assertThat(h.dialer.dialed.get(1).address()).isEqualTo("orderer2:7050");
        assertThat(h.dialer.dialed.get(1).tlsRootCerts()).containsExactly(ByteString.copyFromUtf8("new-ca"));
        assertThat(h.clock.sleeps()).as("a refresh is not a failure").isEmpty();
        assertThat(seekStart(1)).isEqualTo(6);
        assertThat(logged("Ordering endpoints have been refreshed")).isTrue();
    }

    @Test
    void aConfigBlockWithTheSameEndpointsKeepsTheStream() throws Exception {
        Block config = h.blocks.nextConfig(h.chain.get(4), "same");
        Block after = h.blocks.next(config);
        h.scripts(Script.blocks(List.of(config, after))).start();

        await().atMost(10, SECONDS).until(() -> h.sink.blocks.size() == 2);
        assertThat(h.verifier.configUpdates).containsExactly(5L);
        assertThat(h.dialer.dials()).isEqualTo(1);
    }

    @Test
    void afterAReconnectNoBlockIsPassedOnTwiceEvenIfTheLedgerLags() throws Exception {
        h.scripts(Script.blocks(h.blocks(5, 7)).thenRecvError("fake-recv-error"), Script.blocks(h.blocks(8, 9))).start();

        await().atMost(10, SECONDS).until(() -> h.sink.blocks.size() == 5);
        assertThat(h.sink.numbers()).containsExactly(5L, 6L, 7L, 8L, 9L);
        assertThat(seekStart(0)).isEqualTo(5);
        assertThat(seekStart(1)).as("resumes after the last block passed on, not from the lagging ledger").isEqualTo(8);
    }

    @Test
    void aLedgerAheadOfTheClientMovesTheResumePoint() throws Exception {
        h.ledger.afterFirstQuery(9, BlockHashing.headerHash(h.chain.get(8).getHeader()));
        h.scripts(Script.blocks(h.blocks(5, 6)).thenRecvError("fake-recv-error"), Script.blocks(h.blocks(9, 10))).start();

        await().atMost(10, SECONDS).until(() -> h.sink.blocks.size() == 4);
        assertThat(h.sink.numbers()).containsExactly(5L, 6L, 9L, 10L);
        assertThat(seekStart(1)).isEqualTo(9);
    }

    @Test
    void aBlockThePayloadBufferRefusesIsAskedForAgain() throws Exception {
        h.sink.refuseOnce(6);
        h.scripts(Script.blocks(h.blocks(5, 7)), Script.blocks(h.blocks(6, 7))).start();

        await().atMost(10, SECONDS).until(() -> h.sink.blocks.size() == 3);
        assertThat(h.sink.numbers()).containsExactly(5L, 6L, 7L);
        assertThat(seekStart(1)).isEqualTo(6);
        assertThat(h.clock.sleeps()).containsExactly(ms(100));
    }

    @Test
    void aBlockTheLedgerNeverGotIsAskedForAgainFromTheLedgerHeight() throws Exception {
        // Scenario: the sink takes block 5 but it never reaches the ledger (the committer refused
        // it); the sink refuses block 6 saying block 5 was lost. The ledger stays at height 5.
        // Expected: the next SeekInfo starts at 5, not at 6, and block 5 is handed over again.
        h.sink.loseOnce(6, 5);
        h.scripts(Script.blocks(h.blocks(5, 6)), Script.blocks(h.blocks(5, 6))).start();

        await().atMost(10, SECONDS).until(() -> h.sink.blocks.size() == 3);
        assertThat(h.sink.numbers()).containsExactly(5L, 5L, 6L);
        assertThat(seekStart(0)).isEqualTo(5);
        assertThat(seekStart(1)).as("asks again from the ledger height").isEqualTo(5);
        assertThat(h.clock.sleeps()).containsExactly(ms(100));
    }

    @Test
    void anUnexpectedErrorFromADependencyCountsAsAFailureAndTheLoopGoesOn() throws Exception {
        h.dialer.setScripts(i -> {
            if (i == 0) {
                throw new IllegalStateException("fake-unexpected-error");
            }
            return Script.blocks(h.blocks(5, 5));
        });
        h.start();

        await().atMost(10, SECONDS).until(() -> h.sink.blocks.size() == 1);
        assertThat(h.clock.sleeps()).containsExactly(ms(100));
        assertThat(logged("unexpected error: java.lang.IllegalStateException: fake-unexpected-error")).isTrue();
    }

    @Test
    void noEndpointsCountsAsAFailure() throws Exception {
        h = new Harness(new OrdererAddresses(List.of(), Map.of()), b -> Harness.TWO_ORDERERS);
        h.start();

        await().atMost(20, SECONDS).until(() -> h.finalized.get() == 1);
        assertThat(h.clock.sleeps()).startsWith(ms(100), ms(120), ms(144));
        assertThat(h.dialer.dials()).isZero();
        assertThat(logged("no endpoints currently defined")).isTrue();
    }

    @Test
    void aLedgerErrorEndsTheLoopWithALogLine() throws Exception {
        h.ledger.failWith(true);
        h.start();

        await().atMost(10, SECONDS).until(() -> h.finalized.get() == 1 && !Harness.loopAlive());
        assertThat(h.dialer.dials()).isZero();
        assertThat(logged("Did not return ledger height, something is critically wrong")).isTrue();
    }

    @Test
    void aSigningErrorEndsTheLoopWithALogLine() throws Exception {
        h.signer.failWith(true);
        h.start();

        await().atMost(10, SECONDS).until(() -> h.finalized.get() == 1 && !Harness.loopAlive());
        assertThat(h.dialer.dials()).isZero();
        assertThat(logged("Could not create a signed Deliver SeekInfo message")).isTrue();
    }
}
