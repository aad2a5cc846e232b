package io.fabsim.tools.cryptogen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.fabsim.common.config.ConfigLoader;
import io.fabsim.common.crypto.CryptoMaterialException;
import io.fabsim.common.testing.FabricVectors;
import io.fabsim.common.time.Clock;
import io.fabsim.common.tls.TlsContexts;
import io.fabsim.common.tls.TlsMaterial;
import io.fabsim.common.tls.TlsPeer;
import io.fabsim.tools.cryptogen.CryptoGenerator;
import io.fabsim.tools.cryptogen.CryptogenConfig;
import io.fabsim.tools.testing.GeneratedCrypto;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real gRPC over TLS on 127.0.0.1 with the Fabric vectors' material: a fake Deliver service
 * answers each request with a block whose data hash is the client certificate hash it saw.
 */
class MutualTlsTest {

    private static final String ADMIN1_TLS_CERT_HASH = "27f667d17205597f77803e9d1ffb58ba58d32a2d3fade3c80ec2b7292666a3ad";

    private final List<Server> servers = new ArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (ManagedChannel channel : channels) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        for (Server server : servers) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** Crypto material made by the project's cryptogen, laid out as the vectors'. */
    static Path crypto() {
        return GeneratedCrypto.dir().resolve("crypto-config");
    }

    static TlsMaterial orderer() {
        return orderer(crypto());
    }

    static TlsMaterial orderer(Path crypto) {
        return TlsMaterial.fromFolder(crypto.resolve("ordererOrganizations/example.com/orderers/orderer.example.com/tls"));
    }

    static TlsMaterial user(String org, String user) {
        return user(crypto(), org, user);
    }

    static TlsMaterial user(Path crypto, String org, String user) {
        return TlsMaterial.fromFolder(crypto.resolve("peerOrganizations/" + org + "/users/" + user + "/tls"));
    }

    @Test
    void mutualTlsRoundTripSeesTheClientCertHashFabricRecorded() throws Exception {
        Path vectors = FabricVectors.dir().resolve("crypto-config");
        TlsMaterial admin1 = user(vectors, "org1.example.com", "Admin@org1.example.com");
        assertThat(HexFormat.of().formatHex(admin1.certHash())).isEqualTo(ADMIN1_TLS_CERT_HASH);
        int port = start(TlsContexts.server(orderer(vectors), true, admin1.rootCas()));
        SslContext client = TlsContexts.client(orderer(vectors).rootCas(), Optional.of(admin1));
        assertThat(HexFormat.of().formatHex(seenHash(port, client))).isEqualTo(ADMIN1_TLS_CERT_HASH);
    }

    @Test
    void serverOnlyTlsSeesNoClientCertificate() throws Exception {
        int port = start(TlsContexts.server(orderer(), false, List.of()));
        assertThat(seenHash(port, TlsContexts.client(orderer().rootCas(), Optional.empty()))).isEmpty();
    }

    @Test
    void clientFromAnUntrustedOrgIsRefusedInTheHandshake() throws Exception {
        TlsMaterial org1Admin = user("org1.example.com", "Admin@org1.example.com");
        int port = start(TlsContexts.server(orderer(), true, org1Admin.rootCas()));
        TlsMaterial org2User = user("org2.example.com", "User1@org2.example.com");
        SslContext untrusted = TlsContexts.client(orderer().rootCas(), Optional.of(org2User));
        assertThatThrownBy(() -> seenHash(port, untrusted))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(StatusRuntimeException.class)
                .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        SslContext noCert = TlsContexts.client(orderer().rootCas(), Optional.empty());
        assertThatThrownBy(() -> seenHash(port, noCert)).isInstanceOf(ExecutionException.class);
    }

    @Test
    void clientThatDoesNotTrustTheServerRefusesIt() throws Exception {
        int port = start(TlsContexts.server(orderer(), false, List.of()));
        List<X509Certificate> wrongRoots = user("org1.example.com", "User1@org1.example.com").rootCas();
        assertThatThrownBy(() -> seenHash(port, TlsContexts.client(wrongRoots, Optional.empty())))
                .isInstanceOf(ExecutionException.class);
    }

    @Test
    void cryptogenOutputServesMutualTlsBetweenPeersOfAnOrgAndRefusesAnotherOrg(@TempDir Path out) throws Exception {
        CryptoGenerator.generate(CryptogenConfig.from(ConfigLoader.fromString("""
                PeerOrgs = [
                  { Name = Org1, Domain = org1.example.com, EnableNodeOUs = true, Template { Count = 2, SANS = [localhost, "127.0.0.1"] } }
                  { Name = Org2, Domain = org2.example.com, EnableNodeOUs = true, Template { Count = 1, SANS = [localhost, "127.0.0.1"] } }
                ]
                """)), out, Clock.system());
        Path org1 = out.resolve("peerOrganizations/org1.example.com/peers");
        TlsMaterial peer0 = TlsMaterial.fromFolder(org1.resolve("peer0.org1.example.com/tls"));
        TlsMaterial peer1 = TlsMaterial.fromFolder(org1.resolve("peer1.org1.example.com/tls"));
        int port = start(TlsContexts.server(peer0, true, peer0.rootCas()));
        byte[] seen = seenHash(port, TlsContexts.client(peer1.rootCas(), Optional.of(peer1)));
        assertThat(seen).isEqualTo(peer1.certHash());
        TlsMaterial org2Peer = TlsMaterial.fromFolder(out.resolve("peerOrganizations/org2.example.com/peers/peer0.org2.example.com/tls"));
        assertThatThrownBy(() -> seenHash(port, TlsContexts.client(peer0.rootCas(), Optional.of(org2Peer))))
                .isInstanceOf(ExecutionException.class);
    }

    @Test
    void tlsFolderErrorsAreNamed() {
        assertThatThrownBy(() -> TlsMaterial.fromFolder(crypto().resolve("peerOrganizations/org1.example.com/msp")))
                .isInstanceOf(CryptoMaterialException.class)
                .hasMessageContaining("not a TLS folder");
        Path tls = crypto().resolve("peerOrganizations/org1.example.com/peers/peer0.org1.example.com/tls");
        Path otherKey = crypto().resolve("peerOrganizations/org1.example.com/peers/peer1.org1.example.com/tls/server.key");
        assertThatThrownBy(() -> TlsMaterial.fromFiles(tls.resolve("server.crt"), otherKey, List.of()))
                .hasMessageContaining("server.key: key does not match the certificate in");
        assertThatThrownBy(() -> TlsContexts.server(orderer(), true, List.of()))
                .hasMessageContaining("mutual TLS needs at least one client root CA");
    }

    private int start(SslContext context) throws Exception {
        Server server = TlsContexts.serverBuilder(new InetSocketAddress("127.0.0.1", 0), context)
                .addService(ServerInterceptors.intercept(new EchoCertHashDeliver(), TlsPeer.interceptor()))
                .directExecutor()
                .build()
                .start();
        servers.add(server);
        return server.getPort();
    }

    private byte[] seenHash(int port, SslContext context) throws Exception {
        ManagedChannel channel = TlsContexts.channelBuilder("127.0.0.1", port, context).directExecutor().build();
        channels.add(channel);
        CompletableFuture<DeliverResponse> response = new CompletableFuture<>();
        StreamObserver<Envelope> requests = AtomicBroadcastGrpc.newStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
                .deliver(new StreamObserver<>() {
                    @Override
                    public void onNext(DeliverResponse value) {
                        response.complete(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        response.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        response.completeExceptionally(new IllegalStateException("stream ended without a response"));
                    }
                });
        requests.onNext(Envelope.getDefaultInstance());
        try {
            return response.get(30, TimeUnit.SECONDS).getBlock().getHeader().getDataHash().toByteArray();
        } finally {
            requests.onCompleted();
        }
    }

    private static final class EchoCertHashDeliver extends AtomicBroadcastGrpc.AtomicBroadcastImplBase {
        @Override
        public StreamObserver<Envelope> deliver(StreamObserver<DeliverResponse> responses) {
            byte[] hash = TlsPeer.clientCertHash().orElse(new byte[0]);
            return new StreamObserver<>() {
                @Override
                public void onNext(Envelope request) {
                    responses.onNext(DeliverResponse.newBuilder()
                            .setBlock(Block.newBuilder().setHeader(BlockHeader.newBuilder().setDataHash(ByteString.copyFrom(hash))))
                            .build());
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                    responses.onCompleted();
                }
            };
        }
    }
}
