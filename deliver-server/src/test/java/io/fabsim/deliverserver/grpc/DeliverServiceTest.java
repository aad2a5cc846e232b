package io.fabsim.deliverserver.grpc;

import static io.fabsim.common.protoutil.SeekInfos.newest;
import static io.fabsim.common.protoutil.SeekInfos.nextCommit;
import static io.fabsim.common.protoutil.SeekInfos.oldest;
import static io.fabsim.common.protoutil.SeekInfos.specified;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.fabsim.common.protoutil.SeekInfos;
import io.fabsim.common.testing.TestSigner;
import io.fabsim.deliverserver.testing.DeliverTestClient;
import io.fabsim.ledger.testing.TestBlocks;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fabric's Deliver semantics over real gRPC with server-side TLS. */
class DeliverServiceTest {

    @TempDir
    Path dir;
    DeliverFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = new DeliverFixture(dir, false);
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }

    private static List<Long> blocksThenStatus(DeliverTestClient.Stream stream, Status expected) throws InterruptedException {
        List<Long> numbers = new ArrayList<>();
        while (true) {
            DeliverResponse response = stream.next();
            if (response.hasStatus()) {
                assertThat(response.getStatus()).isEqualTo(expected);
                return numbers;
            }
            numbers.add(response.getBlock().getHeader().getNumber());
        }
    }

    private Status onlyStatus(Envelope request) throws InterruptedException {
        DeliverTestClient.Stream stream = fx.open().send(request);
        DeliverResponse response = stream.next();
        assertThat(response.hasStatus()).as("a status and no block: %s", response).isTrue();
        await().atMost(Duration.ofSeconds(20)).until(() -> stream.ended().isDone());
        return response.getStatus();
    }

    @Test
    void seekCombinationsSendTheRangeThenSuccess() throws Exception {
        DeliverTestClient.Stream stream = fx.open();
        stream.send(fx.request(oldest(), newest()));
        assertThat(blocksThenStatus(stream, Status.SUCCESS)).containsExactly(0L, 1L, 2L, 3L, 4L);
        stream.send(fx.request(oldest(), oldest()));
        assertThat(blocksThenStatus(stream, Status.SUCCESS)).containsExactly(0L);
        stream.send(fx.request(newest(), newest()));
        assertThat(blocksThenStatus(stream, Status.SUCCESS)).containsExactly(4L);
        stream.send(fx.request(specified(2), specified(3)));
        assertThat(blocksThenStatus(stream, Status.SUCCESS)).containsExactly(2L, 3L);
        stream.send(fx.request(specified(3), newest()));
        assertThat(blocksThenStatus(stream, Status.SUCCESS)).containsExactly(3L, 4L);
        stream.send(fx.request(specified(1), oldest()));
        assertThat(blocksThenStatus(stream, Status.SUCCESS)).as("stop Oldest stops at the start").containsExactly(1L);
        stream.send(fx.request(newest(), specified(4)));
        assertThat(blocksThenStatus(stream, Status.SUCCESS)).containsExactly(4L);
        assertThat(stream.ended()).as("the stream stays open after SUCCESS").isNotDone();
        assertThat(fx.metrics.requestsCompleted(DeliverFixture.CHANNEL, false, "block", true)).isEqualTo(7);
        assertThat(fx.metrics.blocksSent(DeliverFixture.CHANNEL, false, "block")).isEqualTo(13);
    }

    @Test
    void remainingSeekCombinations() throws Exception {
        DeliverTestClient.Stream stream = fx.open();
        stream.send(fx.request(newest(), oldest()));
        assertThat(blocksThenStatus(stream, Status.SUCCESS)).as("stop Oldest stops at the start").containsExactly(4L);
        stream.send(fx.request(oldest(), specified(2)));
        assertThat(blocksThenStatus(stream, Status.SUCCESS)).containsExactly(0L, 1L, 2L);
        stream.send(fx.request(nextCommit(), oldest()));
        await().atMost(Duration.ofSeconds(20)).until(() -> fx.store.openIterators() == 1);
        TestBlocks.appendData(fx.store, 1, 10);
        assertThat(blocksThenStatus(stream, Status.SUCCESS)).containsExactly(5L);
        stream.send(fx.request(nextCommit(), newest()));
        await().atMost(Duration.ofSeconds(20)).until(() -> fx.store.openIterators() == 1);
        TestBlocks.appendData(fx.store, 1, 10);
        TestBlocks.appendData(fx.store, 1, 10);
        assertThat(stream.next().getBlock().getHeader().getNumber()).isEqualTo(6);
        assertThat(stream.next().getBlock().getHeader().getNumber())
                .as("as in Fabric, NextCommit..Newest never reaches its stop (height - 1 < start): it keeps streaming")
                .isEqualTo(7);
        assertThat(stream.poll(100)).isNull();
    }

    @Test
    void stopBeforeStartIsBadRequest() throws Exception {
        assertThat(onlyStatus(fx.request(specified(3), specified(2)))).isEqualTo(Status.BAD_REQUEST);
        assertThat(onlyStatus(fx.request(newest(), specified(1)))).isEqualTo(Status.BAD_REQUEST);
    }

    @Test
    void startBeyondHeightIsNotFoundWhateverTheBehaviour() throws Exception {
        assertThat(onlyStatus(fx.request(specified(6), specified(9)))).isEqualTo(Status.NOT_FOUND);
        assertThat(onlyStatus(fx.request(SeekInfo.newBuilder().setStart(specified(6)).setStop(specified(9))
                .setBehavior(SeekInfo.SeekBehavior.FAIL_IF_NOT_READY).build()))).isEqualTo(Status.NOT_FOUND);
    }

    @Test
    void startAtHeightFailsIfNotReady() throws Exception {
        assertThat(onlyStatus(fx.request(SeekInfo.newBuilder().setStart(specified(5)).setStop(specified(5))
                .setBehavior(SeekInfo.SeekBehavior.FAIL_IF_NOT_READY).build()))).isEqualTo(Status.NOT_FOUND);
        DeliverTestClient.Stream stream = fx.open().send(fx.request(SeekInfo.newBuilder().setStart(specified(3))
                .setStop(specified(7)).setBehavior(SeekInfo.SeekBehavior.FAIL_IF_NOT_READY).build()));
        assertThat(blocksThenStatus(stream, Status.NOT_FOUND)).as("sends what exists, then NOT_FOUND").containsExactly(3L, 4L);
    }

    @Test
    void startAtHeightBlocksUntilTheBlockIsCommitted() throws Exception {
        DeliverTestClient.Stream stream = fx.open().send(fx.request(specified(5), specified(6)));
        assertThat(stream.poll(200)).as("nothing before block 5 exists").isNull();
        TestBlocks.appendData(fx.store, 1, 10);
        assertThat(stream.next().getBlock().getHeader().getNumber()).isEqualTo(5);
        TestBlocks.appendData(fx.store, 1, 10);
        assertThat(blocksThenStatus(stream, Status.SUCCESS)).containsExactly(6L);
    }

    @Test
    void nextCommitWaitsForTheNextBlock() throws Exception {
        DeliverTestClient.Stream stream = fx.open().send(fx.request(nextCommit(), specified(5)));
        await().atMost(Duration.ofSeconds(20)).until(() -> fx.store.openIterators() == 1);
        TestBlocks.appendData(fx.store, 1, 10);
        assertThat(blocksThenStatus(stream, Status.SUCCESS)).containsExactly(5L);
    }

    @Test
    void cancellationEndsTheWaitAndFreesTheIterator() throws Exception {
        DeliverTestClient.Stream stream = fx.open().send(fx.request(specified(5), specified(10)));
        await().atMost(Duration.ofSeconds(20)).until(() -> fx.store.openIterators() == 1);
        stream.cancel();
        await().atMost(Duration.ofSeconds(20)).until(() -> fx.store.openIterators() == 0);
        await().atMost(Duration.ofSeconds(20)).until(() -> fx.metrics.streamsClosed() == 1);
        assertThat(fx.metrics.streamsOpened()).isEqualTo(1);
        assertThat(fx.metrics.requestsCompleted(DeliverFixture.CHANNEL, false, "block", false)).isEqualTo(1);
    }

    @Test
    void halfCloseEndsTheStreamAfterTheCurrentRequest() throws Exception {
        DeliverTestClient.Stream stream = fx.open().send(fx.request(oldest(), specified(1)));
        stream.halfClose();
        assertThat(blocksThenStatus(stream, Status.SUCCESS)).containsExactly(0L, 1L);
        assertThat(stream.ended().get()).isNull();
    }

    @Test
    void headerWithSigSendsDataBlocksWithoutDataAndConfigBlocksInFull() throws Exception {
        Block config = TestBlocks.appendConfig(fx.store);
        DeliverTestClient.Stream stream = fx.open().send(fx.request(SeekInfo.newBuilder().setStart(oldest())
                .setStop(newest()).setContentType(SeekInfo.SeekContentType.HEADER_WITH_SIG).build()));
        List<Block> blocks = new ArrayList<>();
        for (DeliverResponse r = stream.next(); r.hasBlock(); r = stream.next()) {
            blocks.add(r.getBlock());
        }
        assertThat(blocks).hasSize(6);
        assertThat(blocks.get(0)).isEqualTo(fx.store.block(0));
        assertThat(blocks.get(5)).isEqualTo(config);
        for (int i = 1; i <= 4; i++) {
            Block stored = fx.store.block(i);
            assertThat(blocks.get(i).hasData()).isFalse();
            assertThat(blocks.get(i).getHeader()).isEqualTo(stored.getHeader());
            assertThat(blocks.get(i).getMetadata()).isEqualTo(stored.getMetadata());
        }
        stream.send(fx.request(specified(2), specified(2)));
        assertThat(stream.next().getBlock()).as("BLOCK sends data").isEqualTo(fx.store.block(2));
    }

    @Test
    void unknownChannelIsNotFound() throws Exception {
        Envelope request = SeekInfos.seekEnvelope("nope",
                SeekInfo.newBuilder().setStart(oldest()).setStop(oldest()).build(), fx.reader, fx.clock);
        assertThat(onlyStatus(request)).isEqualTo(Status.NOT_FOUND);
    }

    @Test
    void nonReaderAndExpiredCertificateAreForbidden() throws Exception {
        SeekInfo seek = SeekInfo.newBuilder().setStart(oldest()).setStop(oldest()).build();
        assertThat(onlyStatus(fx.request(fx.outsider, seek))).isEqualTo(Status.FORBIDDEN);
        TestSigner expired = new TestSigner("Org1MSP", fx.org1Pki.enroll("Old@org1.example.com", "client",
                Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2026-06-01T00:00:00Z")));
        assertThat(onlyStatus(fx.request(expired, seek))).isEqualTo(Status.FORBIDDEN);
        Envelope tampered = fx.request(seek).toBuilder().setSignature(ByteString.copyFrom(new byte[70])).build();
        assertThat(onlyStatus(tampered)).isEqualTo(Status.FORBIDDEN);
    }

    @Test
    void malformedEnvelopesAreBadRequests() throws Exception {
        assertThat(onlyStatus(Envelope.newBuilder().setPayload(ByteString.copyFromUtf8("\u00ff\u00ff garbage")).build()))
                .as("unparseable payload").isEqualTo(Status.BAD_REQUEST);
        assertThat(onlyStatus(Envelope.newBuilder().setPayload(Payload.newBuilder().setData(ByteString.copyFromUtf8("x"))
                .build().toByteString()).build())).as("no header").isEqualTo(Status.BAD_REQUEST);
        ChannelHeader noTimestamp = ChannelHeader.newBuilder().setType(HeaderType.DELIVER_SEEK_INFO_VALUE)
                .setChannelId(DeliverFixture.CHANNEL).build();
        assertThat(onlyStatus(envelopeWith(noTimestamp, SeekInfo.getDefaultInstance().toByteString())))
                .as("no timestamp").isEqualTo(Status.BAD_REQUEST);
        ChannelHeader withTime = noTimestamp.toBuilder().setTimestamp(Timestamp.newBuilder()
                .setSeconds(fx.clock.now().getEpochSecond())).build();
        assertThat(onlyStatus(envelopeWith(withTime, ByteString.copyFromUtf8("\u00ff not a seek info"))))
                .as("unparseable seek info").isEqualTo(Status.BAD_REQUEST);
        assertThat(onlyStatus(fx.request(SeekInfo.newBuilder().setStart(oldest()).build()))).as("nil stop")
                .isEqualTo(Status.BAD_REQUEST);
        assertThat(onlyStatus(fx.request(SeekInfo.newBuilder().setStop(oldest()).build()))).as("nil start")
                .isEqualTo(Status.BAD_REQUEST);
    }

    private Envelope envelopeWith(ChannelHeader channelHeader, ByteString data) {
        Payload payload = Payload.newBuilder().setHeader(Header.newBuilder().setChannelHeader(channelHeader.toByteString())
                .setSignatureHeader(org.hyperledger.fabric.protos.common.SignatureHeader.newBuilder()
                        .setCreator(ByteString.copyFrom(fx.reader.serializedIdentity())).build().toByteString()))
                .setData(data).build();
        return Envelope.newBuilder().setPayload(payload.toByteString())
                .setSignature(ByteString.copyFrom(fx.reader.sign(payload.toByteArray()))).build();
    }

    @Test
    void timestampOutsideTheWindowIsBadRequest() throws Exception {
        Envelope request = fx.request(oldest(), oldest());
        fx.clock.advance(Duration.ofMinutes(15).plusSeconds(1));
        assertThat(onlyStatus(request)).isEqualTo(Status.BAD_REQUEST);
        Envelope early = fx.request(oldest(), oldest());
        fx.clock.set(fx.clock.now().minus(Duration.ofMinutes(16)));
        assertThat(onlyStatus(early)).isEqualTo(Status.BAD_REQUEST);
        fx.clock.advance(Duration.ofMinutes(2));
        DeliverTestClient.Stream stream = fx.open().send(early);
        assertThat(blocksThenStatus(stream, Status.SUCCESS)).as("within 15 minutes").containsExactly(0L);
    }

    @Test
    void erroredChainIsServiceUnavailableUnlessBestEffort() throws Exception {
        DeliverTestClient.Stream waiting = fx.open().send(fx.request(specified(5), specified(5)));
        await().atMost(Duration.ofSeconds(20)).until(() -> fx.store.openIterators() == 1);
        fx.chain.errorSignal().raise("test fault");
        assertThat(blocksThenStatus(waiting, Status.SERVICE_UNAVAILABLE)).isEmpty();
        assertThat(onlyStatus(fx.request(oldest(), oldest()))).isEqualTo(Status.SERVICE_UNAVAILABLE);
        DeliverTestClient.Stream bestEffort = fx.open().send(fx.request(SeekInfo.newBuilder().setStart(oldest())
                .setStop(specified(1)).setErrorResponse(SeekInfo.SeekErrorResponse.BEST_EFFORT).build()));
        assertThat(blocksThenStatus(bestEffort, Status.SUCCESS)).containsExactly(0L, 1L);
        fx.chain.errorSignal().clear();
        assertThat(blocksThenStatus(fx.open().send(fx.request(oldest(), oldest())), Status.SUCCESS)).containsExactly(0L);
    }

    @Test
    void nonSuccessStatusEndsTheStream() throws Exception {
        DeliverTestClient.Stream stream = fx.open().send(fx.request(specified(3), specified(2)));
        assertThat(stream.next().getStatus()).isEqualTo(Status.BAD_REQUEST);
        assertThat(stream.ended().get(20, java.util.concurrent.TimeUnit.SECONDS)).isNull();
        await().atMost(Duration.ofSeconds(20)).until(() -> fx.metrics.streamsClosed() == 1);
    }
}
