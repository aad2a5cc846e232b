package io.fabsim.orderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.fabsim.common.config.HostPort;
import io.fabsim.common.crypto.Ecdsa;
import io.fabsim.common.msp.LocalMsp;
import io.fabsim.common.msp.SigningIdentity;
import io.fabsim.common.protoutil.EnvelopeSpec;
import io.fabsim.common.protoutil.Envelopes;
import io.fabsim.common.protoutil.SeekInfos;
import io.fabsim.common.testing.FabricVectors;
import io.fabsim.common.time.Clock;
import io.fabsim.deliverserver.testing.DeliverTestClient;
import io.fabsim.orderer.testing.Vectors;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.ConfigValue;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole orderer in this JVM over real gRPC and HTTP: join, Broadcast, Deliver, status, faults, followers, load. */
class OrdererTest {

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    private HttpResponse<String> post(HostPort admin, String path, byte[] body, String contentType) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://" + admin + path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(HostPort address, String path) throws Exception {
        return json.readTree(http.send(HttpRequest.newBuilder(URI.create("http://" + address + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    private static ManagedChannel channel(Orderer orderer, boolean tls) throws Exception {
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress("127.0.0.1", orderer.address().port());
        return tls ? builder.sslContext(GrpcSslContexts.forClient().trustManager(Vectors.ordererTlsCa().toFile()).build())
                .overrideAuthority("orderer.example.com").build() : builder.usePlaintext().build();
    }

    private static Envelope message(int size) {
        ConfigValue value = ConfigValue.newBuilder().setValue(ByteString.copyFrom(new byte[size])).build();
        return Envelopes.createSigned(EnvelopeSpec.of(HeaderType.MESSAGE, Vectors.CHANNEL, value.toByteString()),
                Vectors.member("org1", "User1"), Clock.system());
    }

    /** Sends envelopes on one Broadcast stream and returns the statuses, in order. */
    private static List<Status> broadcast(ManagedChannel channel, List<Envelope> envelopes) throws Exception {
        LinkedBlockingQueue<BroadcastResponse> responses = new LinkedBlockingQueue<>();
        var requests = AtomicBroadcastGrpc.newStub(channel).broadcast(new io.grpc.stub.StreamObserver<>() {
            @Override
            public void onNext(BroadcastResponse value) {
                responses.add(value);
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        });
        envelopes.forEach(requests::onNext);
        List<Status> statuses = new ArrayList<>();
        for (int i = 0; i < envelopes.size(); i++) {
            BroadcastResponse response = responses.poll(20, TimeUnit.SECONDS);
            assertThat(response).as("broadcast response %d", i).isNotNull();
            statuses.add(response.getStatus());
        }
        requests.onCompleted();
        return statuses;
    }

    private static Status deliverStatus(ManagedChannel channel, SeekInfo seek, List<Block> blocks) throws Exception {
        DeliverTestClient.Stream stream = new DeliverTestClient(channel).open();
        stream.send(SeekInfos.seekEnvelope(Vectors.CHANNEL, seek, Vectors.member("org1", "User1"), Clock.system()));
        for (DeliverResponse r = stream.next(); ; r = stream.next()) {
            if (r.hasStatus()) {
                stream.cancel();
                return r.getStatus();
            }
            blocks.add(r.getBlock());
        }
    }

    @Test
    void joinBroadcastDeliverStatusAndFaults() throws Exception {
        byte[] genesis = FabricVectors.read(FabricVectors.chainBlock(0));
        try (Orderer orderer = VectorOrderers.start(dir.resolve("ledger"), true, false, "", Clock.system())) {
            HostPort admin = orderer.adminAddress();
            assertThat(post(admin, "/participation/v1/channels", "junk".getBytes(StandardCharsets.UTF_8),
                    "application/octet-stream").statusCode()).isEqualTo(400);
            String boundary = "fabsimBoundary";
            byte[] multipart = concat(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"config-block\"; "
                    + "filename=\"genesis.block\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8),
                    genesis, ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> joined = post(admin, "/participation/v1/channels", multipart,
                    "multipart/form-data; boundary=" + boundary);
            assertThat(joined.statusCode()).as(joined.body()).isEqualTo(201);
            assertThat(json.readTree(joined.body()).get("height").asLong()).isEqualTo(1);
            assertThat(post(admin, "/participation/v1/channels", genesis, "application/octet-stream").statusCode())
                    .as("joining twice").isEqualTo(405);
            assertThat(get(admin, "/participation/v1/channels").get("channels").get(0).get("name").asText()).isEqualTo("vectors");

            ManagedChannel channel = channel(orderer, true);
            try {
                List<Envelope> five = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    five.add(message(64));
                }
                orderer.chains().orderingChain("vectors").orElseThrow().pause(); // one block whatever the machine's speed
                assertThat(broadcast(channel, five)).containsOnly(Status.SUCCESS);
                orderer.chains().orderingChain("vectors").orElseThrow().resume();
                List<Block> blocks = new ArrayList<>();
                SeekInfo block1 = SeekInfos.seekInfo(SeekInfos.specified(1), SeekInfos.specified(1), SeekInfo.SeekBehavior.BLOCK_UNTIL_READY);
                assertThat(deliverStatus(channel, block1, blocks)).isEqualTo(Status.SUCCESS);
                assertThat(blocks.get(0).getData().getDataList()).containsExactlyElementsOf(
                        five.stream().map(Envelope::toByteString).toList());

                JsonNode status = get(orderer.operationsAddress(), "/status");
                assertThat(status.get("role").asText()).isEqualTo("orderer");
                assertThat(status.get("mspId").asText()).isEqualTo("OrdererMSP");
                assertThat(status.get("channels").get(0).get("height").asLong()).isEqualTo(2);
                assertThat(status.get("channels").get(0).get("currentBlockHash").asText()).isEqualTo(
                        java.util.HexFormat.of().formatHex(io.fabsim.common.protoutil.BlockHashing.headerHash(blocks.get(0).getHeader())));
                String metrics = http.send(HttpRequest.newBuilder(URI.create("http://" + orderer.operationsAddress() + "/metrics"))
                        .build(), HttpResponse.BodyHandlers.ofString()).body();
                assertThat(metrics).contains("deliver_streams_opened").contains("deliver_blocks_sent")
                        .contains("channel=\"vectors\"");

                assertThat(post(admin, "/admin/v1/channels/vectors/errored", "disk on fire".getBytes(StandardCharsets.UTF_8),
                        "text/plain").statusCode()).isEqualTo(200);
                assertThat(broadcast(channel, List.of(message(1)))).containsExactly(Status.SERVICE_UNAVAILABLE);
                assertThat(deliverStatus(channel, block1, new ArrayList<>())).isEqualTo(Status.SERVICE_UNAVAILABLE);
                assertThat(get(orderer.operationsAddress(), "/healthz").get("status").asText()).isEqualTo("Service Unavailable");
                http.send(HttpRequest.newBuilder(URI.create("http://" + admin + "/admin/v1/channels/vectors/errored"))
                        .DELETE().build(), HttpResponse.BodyHandlers.ofString());
                assertThat(post(admin, "/admin/v1/channels/vectors/pause", new byte[0], "text/plain").statusCode()).isEqualTo(200);
                assertThat(broadcast(channel, List.of(message(1), message(1), message(1), message(1), message(1))))
                        .containsOnly(Status.SUCCESS);
                assertThat(orderer.chains().chain("vectors").orElseThrow().blocks().height()).isEqualTo(2);
                post(admin, "/admin/v1/channels/vectors/resume", new byte[0], "text/plain");
                await().atMost(Duration.ofSeconds(20)).until(() -> orderer.chains().chain("vectors").orElseThrow().blocks().height() == 3);
            } finally {
                channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            }
        }
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    @Test
    void followerCatchesUpResumesAfterRestartAndLeavesTheSourceAlone() throws Exception {
        Path sourceLedger = dir.resolve("source");
        VectorOrderers.writeChain(sourceLedger, 14);
        try (Orderer source = VectorOrderers.start(sourceLedger, false, false, "", Clock.system())) {
            String followerConf = "orderer.follower { source = \"127.0.0.1:" + source.address().port()
                    + "\", channels = [vectors], retryInterval = 50ms }\norderer.nodeName = follower1";
            Path followerLedger = dir.resolve("follower");
            ManagedChannel toSource = channel(source, false);
            try {
                long heightAfterFirstRun;
                try (Orderer follower = VectorOrderers.start(followerLedger, false, false, followerConf, Clock.system())) {
                    await().atMost(Duration.ofSeconds(30)).until(() -> height(follower) == 15);
                    assertThat(broadcastOneBlock(source, toSource)).containsOnly(Status.SUCCESS);
                    await().atMost(Duration.ofSeconds(30)).until(() -> height(follower) == 16);
                    assertThat(follower.chains().chain("vectors").orElseThrow().blocks().block(15))
                            .isEqualTo(source.chains().chain("vectors").orElseThrow().blocks().block(15));
                    ManagedChannel toFollower = channel(follower, false);
                    try {
                        assertThat(broadcast(toFollower, List.of(message(1)))).containsExactly(Status.SERVICE_UNAVAILABLE);
                        List<Block> served = new ArrayList<>();
                        assertThat(deliverStatus(toFollower, SeekInfos.seekInfo(SeekInfos.specified(14), SeekInfos.specified(15),
                                SeekInfo.SeekBehavior.BLOCK_UNTIL_READY), served)).isEqualTo(Status.SUCCESS);
                        assertThat(served).hasSize(2);
                    } finally {
                        toFollower.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
                    }
                    heightAfterFirstRun = height(follower);
                }
                assertThat(broadcastOneBlock(source, toSource))
                        .as("the source is undisturbed by the follower's exit").containsOnly(Status.SUCCESS);
                await().atMost(Duration.ofSeconds(30)).until(() -> height(source) == 17);
                try (Orderer follower = VectorOrderers.start(followerLedger, false, false, followerConf, Clock.system())) {
                    await().atMost(Duration.ofSeconds(30)).until(() -> height(follower) >= heightAfterFirstRun);
                    await().atMost(Duration.ofSeconds(30)).until(() -> height(follower) == 17);
                }
            } finally {
                toSource.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aFollowerJoinedAtRunTimeFollowsItsSourceInsteadOfOrdering() throws Exception {
        Path sourceLedger = dir.resolve("source");
        VectorOrderers.writeChain(sourceLedger, 14);
        try (Orderer source = VectorOrderers.start(sourceLedger, false, false, "", Clock.system())) {
            String followerConf = "orderer.follower { source = \"127.0.0.1:" + source.address().port()
                    + "\", retryInterval = 50ms }\norderer.nodeName = follower2";
            try (Orderer follower = VectorOrderers.start(dir.resolve("follower"), false, false, followerConf, Clock.system())) {
                HttpResponse<String> joined = post(follower.adminAddress(), "/participation/v1/channels",
                        FabricVectors.read(FabricVectors.chainBlock(0)), "application/octet-stream");
                assertThat(joined.statusCode()).as(joined.body()).isEqualTo(201);
                JsonNode info = json.readTree(joined.body());
                assertThat(info.get("consensusRelation").asText()).isEqualTo("follower");
                assertThat(info.get("status").asText()).isEqualTo("onboarding");
                await().atMost(Duration.ofSeconds(30)).until(() -> height(follower) == 15);
                assertThat(follower.chains().orderingChain("vectors")).as("a follower never orders the channel").isEmpty();
                ManagedChannel toFollower = channel(follower, false);
                try {
                    assertThat(broadcast(toFollower, List.of(message(1)))).containsExactly(Status.SERVICE_UNAVAILABLE);
                } finally {
                    toFollower.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
                }
                assertThat(post(follower.adminAddress(), "/participation/v1/channels",
                        FabricVectors.read(FabricVectors.chainBlock(0)), "application/octet-stream").statusCode())
                        .as("joining twice").isEqualTo(405);
            }
        }
    }

    /** Five messages broadcast while block cutting is paused, so they make exactly one block (MaxMessageCount 5). */
    private static List<Status> broadcastOneBlock(Orderer orderer, ManagedChannel channel) throws Exception {
        var chain = orderer.chains().orderingChain("vectors").orElseThrow();
        chain.pause();
        try {
            return broadcast(channel, List.of(message(8), message(8), message(8), message(8), message(8)));
        } finally {
            chain.resume();
        }
    }

    private static long height(Orderer orderer) {
        return orderer.chains().chain("vectors").map(c -> c.blocks() == null ? 0L : c.blocks().height()).orElse(0L);
    }

    @Test
    void loadSourceProducesBlocksWithoutClients() throws Exception {
        Path ledger = dir.resolve("ledger");
        VectorOrderers.writeChain(ledger, 0);
        String load = "orderer.load { enabled = true, rate = 200, txSize = 100 }";
        try (Orderer orderer = VectorOrderers.start(ledger, false, false, load, Clock.system())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> height(orderer) >= 4);
            Block block = orderer.chains().chain("vectors").orElseThrow().blocks().block(1);
            Envelope tx = Envelope.parseFrom(block.getData().getData(0));
            var payload = org.hyperledger.fabric.protos.common.Payload.parseFrom(tx.getPayload());
            assertThat(ConfigValue.parseFrom(payload.getData()).getValue().size()).isEqualTo(100);
        }
    }

    @Test
    void endorserLoadSendsFabricEndorserTransactionsSignedByTheClientAndEndorsedByThePeers() throws Exception {
        // Scenario: the load set to endorser transactions with Org1's User1 as client and peer0.org1 as
        // endorser (Org2 of the vectors' channel has no signers configured).
        // Expected: blocks of ENDORSER_TRANSACTION envelopes created by User1 (tx id as Fabric derives it,
        // envelope signature by the creator), each endorsed once by peer0.org1 over the response
        // payload, writing a value of txSize bytes under the configured chaincode.
        Path ledger = dir.resolve("ledger");
        VectorOrderers.writeChain(ledger, 0);
        Path org1 = Vectors.crypto().resolve("peerOrganizations/org1.example.com");
        Path peer0Msp = org1.resolve("peers/peer0.org1.example.com/msp");
        String load = "orderer.load { enabled = true, rate = 100, txSize = 300, kind = endorser, chaincode = mycc\n"
                + "signers { Org1MSP { client = \"" + org1.resolve("users/User1@org1.example.com/msp") + "\", endorser = \""
                + peer0Msp + "\" } } }";
        try (Orderer orderer = VectorOrderers.start(ledger, false, false, load, Clock.system())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> height(orderer) >= 3);
            Block block = orderer.chains().chain("vectors").orElseThrow().blocks().block(1);
            SigningIdentity user1 = Vectors.member("org1", "User1");
            SigningIdentity peer0 = LocalMsp.loadSigningIdentity("Org1MSP", peer0Msp);
            for (ByteString data : block.getData().getDataList()) {
                Envelope tx = Envelope.parseFrom(data);
                Payload payload = Payload.parseFrom(tx.getPayload());
                ChannelHeader header = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
                SignatureHeader signatureHeader = SignatureHeader.parseFrom(payload.getHeader().getSignatureHeader());
                assertThat(header.getType()).isEqualTo(HeaderType.ENDORSER_TRANSACTION_VALUE);
                assertThat(header.getChannelId()).isEqualTo("vectors");
                assertThat(signatureHeader.getCreator().toByteArray()).isEqualTo(user1.serializedIdentity());
                assertThat(header.getTxId()).isEqualTo(Envelopes.computeTxId(signatureHeader.getNonce().toByteArray(),
                        user1.serializedIdentity()));
                Ecdsa.verify(user1.certificate().getPublicKey(), tx.getPayload().toByteArray(), tx.getSignature().toByteArray());
                ChaincodeActionPayload action = ChaincodeActionPayload.parseFrom(
                        Transaction.parseFrom(payload.getData()).getActions(0).getPayload());
                List<Endorsement> endorsements = action.getAction().getEndorsementsList();
                assertThat(endorsements).hasSize(1);
                assertThat(endorsements.get(0).getEndorser().toByteArray()).isEqualTo(peer0.serializedIdentity());
                Ecdsa.verify(peer0.certificate().getPublicKey(), action.getAction().getProposalResponsePayload()
                        .concat(endorsements.get(0).getEndorser()).toByteArray(), endorsements.get(0).getSignature().toByteArray());
                ChaincodeAction chaincodeAction = ChaincodeAction.parseFrom(ProposalResponsePayload.parseFrom(
                        action.getAction().getProposalResponsePayload()).getExtension());
                assertThat(chaincodeAction.getChaincodeId().getName()).isEqualTo("mycc");
                KVRWSet kv = KVRWSet.parseFrom(TxReadWriteSet.parseFrom(chaincodeAction.getResults()).getNsRwset(0).getRwset());
                assertThat(kv.getWrites(0).getValue().size()).isEqualTo(300);
            }
        }
    }

    private HttpResponse<String> put(HostPort admin, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://" + admin + path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void loadRateChangesAtRunTimeThroughTheAdminApi() throws Exception {
        Path ledger = dir.resolve("ledger");
        VectorOrderers.writeChain(ledger, 0);
        String load = "orderer.load { enabled = true, rate = 200, txSize = 100 }";
        try (Orderer orderer = VectorOrderers.start(ledger, false, false, load, Clock.system())) {
            HostPort admin = orderer.adminAddress();
            assertThat(get(admin, "/admin/v1/load").get("rate").asInt()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).until(() -> get(admin, "/admin/v1/load").get("submitted").asLong() > 0);

            HttpResponse<String> stopped = put(admin, "/admin/v1/load", "{\"rate\": 0}");
            assertThat(stopped.statusCode()).isEqualTo(200);
            assertThat(json.readTree(stopped.body()).get("rate").asInt()).isZero();
            // At rate 0 nothing more is submitted: the count settles and stays put for two seconds.
            long[] last = {-1};
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
                long now = get(admin, "/admin/v1/load").get("submitted").asLong();
                boolean same = now == last[0];
                last[0] = now;
                return same;
            });
            long settled = last[0];
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(90))
                    .until(() -> get(admin, "/admin/v1/load").get("submitted").asLong() == settled);

            assertThat(put(admin, "/admin/v1/load", "{\"rate\": 500}").statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).until(() -> get(admin, "/admin/v1/load").get("submitted").asLong() > settled);

            // Bad input: a clear 400 or 405, and the rate stays what it was.
            for (String bad : List.of("junk", "{}", "{\"rate\": -1}", "{\"rate\": \"fast\"}", "{\"rate\": 2.5}",
                    "{\"rate\": 1000001}")) {
                HttpResponse<String> refused = put(admin, "/admin/v1/load", bad);
                assertThat(refused.statusCode()).as(bad).isEqualTo(400);
                assertThat(refused.body()).as(bad).contains("rate");
            }
            assertThat(post(admin, "/admin/v1/load", new byte[0], "text/plain").statusCode()).isEqualTo(405);
            assertThat(get(admin, "/admin/v1/load").get("rate").asInt()).isEqualTo(500);
        }
    }

    @Test
    void loadRateOnAnOrdererWithoutLoadIsAConflict() throws Exception {
        Path ledger = dir.resolve("ledger");
        VectorOrderers.writeChain(ledger, 0);
        try (Orderer orderer = VectorOrderers.start(ledger, false, false, "", Clock.system())) {
            HostPort admin = orderer.adminAddress();
            assertThat(get(admin, "/admin/v1/load").get("enabled").asBoolean()).isFalse();
            HttpResponse<String> refused = put(admin, "/admin/v1/load", "{\"rate\": 10}");
            assertThat(refused.statusCode()).isEqualTo(409);
            assertThat(refused.body()).contains("orderer.load.enabled = false");
        }
    }
}
