package io.fabsim.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.fabsim.common.config.ConfigLoader;
import io.fabsim.common.configtx.ChannelConfig;
import io.fabsim.common.crypto.Signer;
import io.fabsim.common.msp.LocalMsp;
import io.fabsim.common.protoutil.Blocks;
import io.fabsim.common.protoutil.EndorserTransactions;
import io.fabsim.common.protoutil.EnvelopeSpec;
import io.fabsim.common.protoutil.Envelopes;
import io.fabsim.common.testing.FabricVectors;
import io.fabsim.common.time.Clock;
import io.fabsim.ledger.ChainInfo;
import io.fabsim.orderer.Orderer;
import io.fabsim.orderer.OrdererConfig;
import io.fabsim.peer.fabric.FabricPeerProcess;
import io.fabsim.peer.fabric.FabricPeerProcess.CliIdentity;
import io.fabsim.peer.fabric.FabricPeerProcess.CliResult;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigSignature;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigUpdateEnvelope;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.BatchTimeout;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario: the fabsim orderer (mutual TLS) serves one channel; a fabsim peer and a real Fabric
 * v2.5.12 peer of Org1, both static leaders, pull it from the orderer and commit it (the Fabric
 * peer joins with Fabric's own {@code peer channel join}). A client broadcasts MESSAGE
 * transactions (what fabsim's built-in load sends), endorser transactions for a chaincode no peer
 * defines (well formed, twice with the same tx id, with a wrong tx id, a wrong proposal hash, two
 * actions), a config update (BatchTimeout), and the same tx id again after it.
 * Expected: every block fetched from both peers with {@code peer channel fetch} (config blocks 0
 * and the update, data blocks) carries byte-identical {@code TRANSACTIONS_FILTER} and
 * {@code COMMIT_HASH} metadata, i.e. fabsim validates and hashes as Fabric's committer and
 * kvledger do.
 */
class FabricValidationInteropTest {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private Orderer orderer;
    private PeerNode fabsim;
    private FabricPeerProcess fabric;

    private static Path crypto(String path) {
        return FabricVectors.dir().resolve("crypto-config").resolve(path);
    }

    private static final String ORG1 = "peerOrganizations/org1.example.com";

    @BeforeEach
    void start() throws Exception {
        FabricPeerProcess.assumeAvailable();
        Path node = crypto("ordererOrganizations/example.com/orderers/orderer.example.com");
        orderer = Orderer.start(OrdererConfig.from(ConfigLoader.fromString("""
                General.ListenAddress = "127.0.0.1"
                General.ListenPort = 0
                General.TLS { Enabled = true, ClientAuthRequired = true
                  PrivateKey = "%1$s/tls/server.key", Certificate = "%1$s/tls/server.crt", RootCAs = ["%1$s/tls/ca.crt"]
                  ClientRootCAs = ["%2$s"] }
                General.LocalMSPDir = "%1$s/msp"
                General.LocalMSPID = OrdererMSP
                FileLedger.Location = "%3$s"
                Operations.ListenAddress = "127.0.0.1:0"
                orderer.load.enabled = false
                """.formatted(node, crypto(ORG1 + "/tlsca/tlsca.org1.example.com-cert.pem"), dir.resolve("orderer")))));
        Block genesis = TestOrderer.genesisFor(orderer.address().port());
        orderer.chains().join(genesis);
        Path genesisFile = dir.resolve("genesis.block");
        Files.write(genesisFile, genesis.toByteArray());

        Path peerNode = crypto(ORG1 + "/peers/peer0.org1.example.com");
        fabsim = FabsimInteropPeers.startStaticLeader(peerNode, dir.resolve("fabsim-peer"));
        fabsim.join(genesis);

        fabric = FabricPeerProcess.start(FabricPeerProcess.Settings.of("peer1.org1.example.com", "Org1MSP",
                crypto(ORG1 + "/peers/peer1.org1.example.com")).withEnv(Map.of()), dir.resolve("fabric-peer"));
        CliResult join = fabric.cli(admin(), "channel", "join", "-b", genesisFile.toString());
        assertThat(join.ok()).as(join.output()).isTrue();
    }

    private static CliIdentity admin() {
        return CliIdentity.ofUser("Org1MSP", crypto(ORG1 + "/users/Admin@org1.example.com"));
    }

    @AfterEach
    void stop() {
        if (fabric != null) {
            fabric.close();
        }
        if (fabsim != null) {
            fabsim.close();
        }
        if (orderer != null) {
            orderer.close();
        }
    }

    @Test
    void fabsimWritesTheTransactionsFilterAndCommitHashOfARealFabricPeer() throws Exception {
        Signer user = LocalMsp.loadSigningIdentity("Org1MSP", crypto(ORG1 + "/users/User1@org1.example.com/msp"));
        Signer endorser = LocalMsp.loadSigningIdentity("Org1MSP", crypto(ORG1 + "/peers/peer0.org1.example.com/msp"));
        Signer ordererAdmin = LocalMsp.loadSigningIdentity("OrdererMSP",
                crypto("ordererOrganizations/example.com/users/Admin@example.com/msp"));
        EndorserTransactions txs = new EndorserTransactions(TestOrderer.CHANNEL, user, endorser);
        byte[] nonce = Envelopes.nonce();
        try (Broadcaster broadcast = new Broadcaster(orderer.address().port())) {
            broadcast.send(message(user, "first"));
            broadcast.send(txs.invoke("basic", nonce, EndorserTransactions.Defect.NONE));
            broadcast.send(txs.invoke("basic", nonce, EndorserTransactions.Defect.NONE));
            broadcast.send(txs.invoke("basic", Envelopes.nonce(), EndorserTransactions.Defect.WRONG_TX_ID));
            broadcast.send(txs.invoke("basic", Envelopes.nonce(), EndorserTransactions.Defect.PROPOSAL_HASH_MISMATCH));
            broadcast.send(txs.invoke("basic", Envelopes.nonce(), EndorserTransactions.Defect.TWO_ACTIONS));
            awaitOrderedTxs(6);
            broadcast.send(batchTimeoutUpdate(ordererAdmin));
            awaitOrderedTxs(7);
            broadcast.send(txs.invoke("basic", nonce, EndorserTransactions.Defect.NONE));
            broadcast.send(message(user, "after the config update"));
        }
        long height = awaitOrderedTxs(9);
        await().atMost(WAIT).until(() -> fabsim.chainInfo(TestOrderer.CHANNEL).map(ChainInfo::height).orElse(0L) >= height);
        await().atMost(WAIT).pollInterval(Duration.ofSeconds(1))
                .until(() -> fetch(fabric.address(), fabric.tlsRootCert(), (int) height - 1, "fabric-probe") != null);

        Path fabsimTlsRoot = crypto(ORG1 + "/peers/peer0.org1.example.com/tls/ca.crt");
        Set<Integer> codes = new TreeSet<>();
        for (int n = 0; n < height; n++) {
            Block fromFabric = fetch(fabric.address(), fabric.tlsRootCert(), n, "fabric");
            Block fromFabsim = fetch("127.0.0.1:" + fabsim.grpcPort(), fabsimTlsRoot, n, "fabsim");
            assertThat(fromFabsim).as("block %d from the fabsim peer", n).isNotNull();
            assertThat(fromFabric).as("block %d from the Fabric peer", n).isNotNull();
            assertThat(fromFabsim.getHeader()).isEqualTo(fromFabric.getHeader());
            assertThat(metadata(fromFabsim, BlockMetadataIndex.TRANSACTIONS_FILTER))
                    .as("TRANSACTIONS_FILTER of block %d", n)
                    .isEqualTo(metadata(fromFabric, BlockMetadataIndex.TRANSACTIONS_FILTER));
            assertThat(metadata(fromFabsim, BlockMetadataIndex.COMMIT_HASH))
                    .as("COMMIT_HASH of block %d", n)
                    .isEqualTo(metadata(fromFabric, BlockMetadataIndex.COMMIT_HASH));
            for (byte code : Blocks.transactionsFilter(fromFabric)) {
                codes.add((int) code);
            }
        }
        // The comparison covered every kind of transaction sent, as the Fabric peer flagged them.
        assertThat(codes).contains(TxValidationCode.VALID_VALUE, TxValidationCode.BAD_COMMON_HEADER_VALUE,
                TxValidationCode.INVALID_CHAINCODE_VALUE, TxValidationCode.BAD_PROPOSAL_TXID_VALUE,
                TxValidationCode.INVALID_ENDORSER_TRANSACTION_VALUE, TxValidationCode.DUPLICATE_TXID_VALUE);
    }

    /** Waits until the orderer's blocks after the genesis hold {@code count} transactions; returns its height. */
    private long awaitOrderedTxs(int count) {
        var store = orderer.chains().orderingChain(TestOrderer.CHANNEL).orElseThrow().blocks();
        await().atMost(WAIT).until(() -> {
            int txs = 0;
            for (long n = 1; n < store.height(); n++) {
                txs += store.block(n).getData().getDataCount();
            }
            return txs >= count;
        });
        return store.height();
    }

    private static Envelope message(Signer signer, String text) {
        return Envelopes.createSigned(EnvelopeSpec.of(HeaderType.MESSAGE, TestOrderer.CHANNEL, ByteString.copyFromUtf8(text)),
                signer, Clock.system());
    }

    /**
     * A CONFIG_UPDATE of {@code /Channel/Orderer/BatchTimeout} to 300ms as Fabric's tools make it (the
     * update computed by {@code configtxlator compute_update}), signed by the orderer org's admin.
     */
    private Envelope batchTimeoutUpdate(Signer admin) throws Exception {
        ChannelConfig current = orderer.chains().orderingChain(TestOrderer.CHANNEL).orElseThrow().config();
        Config original = current.config();
        ConfigGroup.Builder updated = original.getChannelGroup().toBuilder();
        ConfigGroup.Builder ordererGroup = updated.getGroupsOrThrow("Orderer").toBuilder();
        ordererGroup.putValues("BatchTimeout", ordererGroup.getValuesOrThrow("BatchTimeout").toBuilder()
                .setValue(BatchTimeout.newBuilder().setTimeout("300ms").build().toByteString()).build());
        updated.putGroups("Orderer", ordererGroup.build());
        Path work = Files.createDirectories(dir.resolve("config-update"));
        Files.write(work.resolve("original.pb"), original.toByteArray());
        Files.write(work.resolve("updated.pb"), original.toBuilder().setChannelGroup(updated).build().toByteArray());
        Process lator = new ProcessBuilder(FabricPeerProcess.binDir().resolve("bin/configtxlator").toString(),
                "compute_update", "--channel_id", TestOrderer.CHANNEL, "--original", "original.pb", "--updated", "updated.pb",
                "--output", "update.pb").directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("configtxlator.log").toFile()).start();
        assertThat(lator.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(lator.exitValue()).as(Files.readString(work.resolve("configtxlator.log"))).isZero();
        ByteString update = ByteString.copyFrom(Files.readAllBytes(work.resolve("update.pb")));
        ByteString header = Envelopes.signatureHeader(admin.serializedIdentity(), Envelopes.nonce()).toByteString();
        ConfigUpdateEnvelope envelope = ConfigUpdateEnvelope.newBuilder().setConfigUpdate(update)
                .addSignatures(ConfigSignature.newBuilder().setSignatureHeader(header)
                        .setSignature(ByteString.copyFrom(admin.sign(header.concat(update).toByteArray()))))
                .build();
        return Envelopes.createSigned(EnvelopeSpec.of(HeaderType.CONFIG_UPDATE, TestOrderer.CHANNEL,
                envelope.toByteString()), admin, Clock.system());
    }

    /** Fabric's Broadcast over mutual TLS as Org1's User1; {@link #send} waits for the orderer's SUCCESS. */
    private static final class Broadcaster implements AutoCloseable {

        private final ManagedChannel channel;
        private final BlockingQueue<Object> responses = new LinkedBlockingQueue<>();
        private final StreamObserver<Envelope> requests;

        Broadcaster(int port) throws Exception {
            Path user = crypto(ORG1 + "/users/User1@org1.example.com/tls");
            channel = NettyChannelBuilder.forAddress("127.0.0.1", port)
                    .sslContext(GrpcSslContexts.forClient()
                            .trustManager(crypto("ordererOrganizations/example.com/tlsca/tlsca.example.com-cert.pem").toFile())
                            .keyManager(user.resolve("client.crt").toFile(), user.resolve("client.key").toFile()).build())
                    .build();
            requests = AtomicBroadcastGrpc.newStub(channel).broadcast(new StreamObserver<>() {
                @Override
                public void onNext(BroadcastResponse response) {
                    responses.add(response);
                }

                @Override
                public void onError(Throwable t) {
                    responses.add(t);
                }

                @Override
                public void onCompleted() {
                }
            });
        }

        void send(Envelope envelope) throws InterruptedException {
            requests.onNext(envelope);
            Object response = responses.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(response).isInstanceOf(BroadcastResponse.class);
            assertThat(((BroadcastResponse) response).getStatus()).as(response.toString()).isEqualTo(Status.SUCCESS);
        }

        @Override
        public void close() {
            requests.onCompleted();
            channel.shutdownNow();
        }
    }

    private static String metadata(Block block, BlockMetadataIndex index) {
        List<com.google.protobuf.ByteString> slots = block.getMetadata().getMetadataList();
        return index.getNumber() < slots.size() ? java.util.HexFormat.of().formatHex(slots.get(index.getNumber()).toByteArray())
                : "(absent)";
    }

    /** Block {@code number} by Fabric's {@code peer channel fetch} from the peer at {@code address}; null when it failed. */
    private Block fetch(String address, Path tlsRoot, int number, String name) throws Exception {
        Path out = dir.resolve("fetched").resolve(name + "-" + number + ".block");
        Files.createDirectories(out.getParent());
        Files.deleteIfExists(out);
        CliResult result = FabricPeerProcess.cli(address, tlsRoot, admin(), dir.resolve("cli"), "channel", "fetch",
                String.valueOf(number), out.toString(), "-c", TestOrderer.CHANNEL);
        if (!result.ok() || !Files.exists(out)) {
            return null;
        }
        return Block.parseFrom(Files.readAllBytes(out));
    }
}
