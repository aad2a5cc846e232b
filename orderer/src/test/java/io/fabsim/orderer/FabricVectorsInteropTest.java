package io.fabsim.orderer;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabsim.common.testing.FabricVectors;
import io.fabsim.common.time.Clock;
import io.fabsim.common.time.ManualClock;
import io.fabsim.orderer.testing.Vectors;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario: the Deliver requests Fabric v2.5.12's {@code peer channel fetch} sent (recorded bytes)
 * are replayed on real gRPC streams to a fabsim orderer holding the vectors' 15-block chain, with
 * its clock at 2026-11-21T09:55:30Z and the vectors' orderer TLS material.
 * Expected: each request gets exactly one block, byte-identical to the ledger's (and Fabric's) block
 * file, then SUCCESS; {@code fetch config} gets both answers on one stream; the mutual-TLS request
 * passes the TLS binding; with the real clock every request is refused with BAD_REQUEST.
 */
class FabricVectorsInteropTest {

    @TempDir
    Path dir;

    private static final Instant RECORDING = Instant.parse("2026-11-21T09:55:30Z");

    private static byte[] request(String name) {
        return FabricVectors.read(FabricVectors.dir().resolve("deliver-requests").resolve(name + ".envelope"));
    }

    /** A DeliverResponse{block} as a Go or Java marshaler writes it: field 2 (block), length, the block bytes. */
    private static byte[] blockResponse(int number) throws Exception {
        byte[] block = FabricVectors.read(FabricVectors.chainBlock(number));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        com.google.protobuf.CodedOutputStream coded = com.google.protobuf.CodedOutputStream.newInstance(out);
        coded.writeByteArray(2, block);
        coded.flush();
        return out.toByteArray();
    }

    private static ManagedChannel channel(Orderer orderer, boolean tls, boolean clientCert) throws Exception {
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress("127.0.0.1", orderer.address().port())
                .maxInboundMessageSize(100 << 20);
        if (!tls) {
            return builder.usePlaintext().build();
        }
        SslContextBuilder ssl = GrpcSslContexts.forClient().trustManager(Vectors.fabric().ordererTlsCa().toFile());
        if (clientCert) {
            Path admin = Vectors.fabric().user("org1", "Admin").resolve("tls");
            ssl.keyManager(admin.resolve("client.crt").toFile(), admin.resolve("client.key").toFile());
        }
        return builder.sslContext(ssl.build()).overrideAuthority("orderer.example.com").build();
    }

    private static void expectBlockThenSuccess(RawDeliverClient.Stream stream, int number) throws Exception {
        assertThat(stream.next()).as("block %d byte-identical to the ledger's", number).isEqualTo(blockResponse(number));
        assertThat(DeliverResponse.parseFrom(stream.next()).getStatus()).isEqualTo(Status.SUCCESS);
    }

    private void replay(Orderer orderer, boolean tls, boolean clientCert, String name, int block) throws Exception {
        ManagedChannel channel = channel(orderer, tls, clientCert);
        try {
            RawDeliverClient.Stream stream = new RawDeliverClient.Stream(channel);
            stream.send(request(name));
            expectBlockThenSuccess(stream, block);
            stream.cancel();
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void recordedFetchRequestsAreAnsweredAsFabricAnswersThem() throws Exception {
        Path ledger = dir.resolve("ledger");
        VectorOrderers.writeChain(ledger, 14);
        try (Orderer orderer = VectorOrderers.start(Vectors.fabric(), ledger, true, false, "", new ManualClock(RECORDING))) {
            replay(orderer, true, false, "fetch_oldest_tls", 0);
            replay(orderer, true, false, "fetch_newest_tls", 14);
            replay(orderer, true, false, "fetch_3_tls", 3);
            ManagedChannel channel = channel(orderer, true, false);
            try {
                RawDeliverClient.Stream stream = new RawDeliverClient.Stream(channel);
                stream.send(request("fetch_config_tls_1_newest"));
                expectBlockThenSuccess(stream, 14);
                stream.send(request("fetch_config_tls_2_block10"));
                expectBlockThenSuccess(stream, 10);
                assertThat(stream.closed).as("the stream stays open after SUCCESS").isNotDone();
                stream.cancel();
            } finally {
                channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void plaintextAndMutualTlsRequests() throws Exception {
        Path ledger = dir.resolve("ledger");
        VectorOrderers.writeChain(ledger, 14);
        try (Orderer plain = VectorOrderers.start(Vectors.fabric(), ledger, false, false, "", new ManualClock(RECORDING))) {
            replay(plain, false, false, "fetch_3_plaintext", 3);
        }
        try (Orderer mutual = VectorOrderers.start(Vectors.fabric(), ledger, true, true, "", new ManualClock(RECORDING))) {
            replay(mutual, true, true, "fetch_3_mutual_tls", 3);
            ManagedChannel channel = channel(mutual, true, true);
            try {
                RawDeliverClient.Stream unbound = new RawDeliverClient.Stream(channel);
                unbound.send(request("fetch_3_tls"));
                assertThat(DeliverResponse.parseFrom(unbound.next()).getStatus())
                        .as("no TLS cert hash under mutual TLS").isEqualTo(Status.BAD_REQUEST);
            } finally {
                channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void withTheSystemClockTheRecordedRequestsAreTooOld() throws Exception {
        Path ledger = dir.resolve("ledger");
        VectorOrderers.writeChain(ledger, 14);
        try (Orderer orderer = VectorOrderers.start(Vectors.fabric(), ledger, true, false, "", Clock.system())) {
            for (String name : new String[] {"fetch_oldest_tls", "fetch_newest_tls", "fetch_3_tls"}) {
                ManagedChannel channel = channel(orderer, true, false);
                try {
                    RawDeliverClient.Stream stream = new RawDeliverClient.Stream(channel);
                    stream.send(request(name));
                    assertThat(DeliverResponse.parseFrom(stream.next()).getStatus()).isEqualTo(Status.BAD_REQUEST);
                    assertThat(stream.closed.get(20, TimeUnit.SECONDS).isOk()).isTrue();
                } finally {
                    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
                }
            }
        }
    }
}
