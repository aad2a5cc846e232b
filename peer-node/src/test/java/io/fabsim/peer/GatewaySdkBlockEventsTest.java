package io.fabsim.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.fabsim.common.testing.FabricVectors;
import io.fabsim.common.time.Clock;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.client.CloseableIterator;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.Network;
import org.hyperledger.fabric.client.identity.Identities;
import org.hyperledger.fabric.client.identity.Signers;
import org.hyperledger.fabric.client.identity.X509Identity;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario: Fabric's Gateway SDK for Java (fabric-gateway 1.4.0) as User1 of Org2 asks an Org1 fabsim
 * peer for the block events of the vectors' channel, which both orgs belong to (genesis block made by
 * Fabric's configtxgen), over TLS, then over mutual TLS.
 * Expected: over TLS the SDK receives the channel's blocks from block 0. Over mutual TLS the Org2
 * client passes the handshake (Org2's TLS CA comes from the channel's config) and then gets what a
 * Fabric peer answers to a request not bound to the client's TLS certificate, BAD_REQUEST: binding
 * it needs the SDK's tlsClientCertificateHash option, which came with 1.5 (not available here).
 */
class GatewaySdkBlockEventsTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Path PEER = FabricVectors.dir()
            .resolve("crypto-config/peerOrganizations/org1.example.com/peers/peer0.org1.example.com");
    private static final Path USER = FabricVectors.dir()
            .resolve("crypto-config/peerOrganizations/org2.example.com/users/User1@org2.example.com");

    @TempDir
    Path dir;

    private PeerNode peer;
    private ManagedChannel grpc;

    @AfterEach
    void stop() throws InterruptedException {
        if (grpc != null) {
            grpc.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (peer != null) {
            peer.close();
        }
    }

    private Block startPeerOnTheVectorsChannel(boolean mutualTls) throws Exception {
        peer = PeerNode.start(FabsimInteropPeers.org1Tls(PEER, dir, mutualTls, false), Clock.system());
        Block genesis = Block.parseFrom(Files.readAllBytes(FabricVectors.dir().resolve("genesis.block")));
        peer.join(genesis);
        return genesis;
    }

    /** The SDK's gateway as User1@org2, over a channel presenting the user's TLS client certificate. */
    private Gateway connect() throws Exception {
        grpc = NettyChannelBuilder.forAddress("127.0.0.1", peer.grpcPort())
                .sslContext(GrpcSslContexts.forClient().trustManager(PEER.resolve("tls/ca.crt").toFile())
                        .keyManager(USER.resolve("tls/client.crt").toFile(), USER.resolve("tls/client.key").toFile())
                        .build())
                .overrideAuthority("peer0.org1.example.com").build();
        X509Identity identity = new X509Identity("Org2MSP", Identities.readX509Certificate(
                Files.newBufferedReader(USER.resolve("msp/signcerts/User1@org2.example.com-cert.pem"))));
        return Gateway.newInstance().identity(identity)
                .signer(Signers.newPrivateKeySigner(Identities.readPrivateKey(
                        Files.newBufferedReader(USER.resolve("msp/keystore/priv_sk")))))
                .connection(grpc).connect();
    }

    @Test
    void anOrg2ClientReceivesTheBlockEventsOfAnOrg1Peer() throws Exception {
        Block genesis = startPeerOnTheVectorsChannel(false);

        try (Gateway gateway = connect()) {
            Network network = gateway.getNetwork("vectors");
            try (CloseableIterator<Block> events = network.newBlockEventsRequest().startBlock(0).build().getEvents()) {
                Block first = assertTimeoutPreemptively(WAIT, events::next);
                assertThat(first.getHeader()).isEqualTo(genesis.getHeader());
            }
        }
    }

    @Test
    void overMutualTlsTheOrg2ClientIsAcceptedAndGetsFabricsAnswerToAnUnboundRequest() throws Exception {
        startPeerOnTheVectorsChannel(true);

        try (Gateway gateway = connect()) {
            Network network = gateway.getNetwork("vectors");
            try (CloseableIterator<Block> events = network.newBlockEventsRequest().startBlock(0).build().getEvents()) {
                assertTimeoutPreemptively(WAIT, () -> assertThatThrownBy(events::next)
                        .as("refused by Deliver, not at the handshake").hasMessageContaining("BAD_REQUEST"));
            }
        }
    }
}
