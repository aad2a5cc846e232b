package io.fabsim.peer;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.fabsim.common.crypto.Signer;
import io.fabsim.common.msp.LocalMsp;
import io.fabsim.common.protoutil.Envelopes;
import io.fabsim.common.testing.FabricVectors;
import io.fabsim.peer.fabric.FabricPeerProcess;
import io.fabsim.peer.fabric.FabricPeerProcess.CliIdentity;
import io.fabsim.peer.fabric.FabricPeerProcess.CliResult;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.peer.ChaincodeHeaderExtension;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeInvocationSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeSpec;
import org.hyperledger.fabric.protos.peer.EndorserGrpc;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario: a fabsim peer and a real Fabric v2.5.12 peer of Org1, both started with no channel,
 * are driven by Fabric's own {@code peer} CLI (mutual TLS): {@code channel list}, {@code channel
 * join -b} by a non-admin, with a malformed block, and by Org1's admin, then {@code list},
 * {@code getinfo -c} and {@code fetch} again.
 * Expected: the fabsim peer answers every command as the Fabric peer does: the same success
 * output (the joined channel, the same chain info JSON, the fetched genesis block) and the same
 * error lines for the refused joins.
 */
class EndorserCliTest {

    private static final String ORG1 = "peerOrganizations/org1.example.com";

    @TempDir
    Path dir;

    private PeerNode fabsim;
    private FabricPeerProcess fabric;
    private Path genesisFile;

    private static Path crypto(String path) {
        return FabricVectors.dir().resolve("crypto-config").resolve(path);
    }

    @BeforeEach
    void start() throws Exception {
        FabricPeerProcess.assumeAvailable();
        Block genesis = TestOrderers.genesisFor(FabricPeerProcess.freePort());
        genesisFile = dir.resolve("genesis.block");
        Files.write(genesisFile, genesis.toByteArray());
        Path peerNode = crypto(ORG1 + "/peers/peer0.org1.example.com");
        fabsim = FabsimInteropPeers.startStaticLeader(peerNode, dir.resolve("fabsim-peer"));
        fabric = FabricPeerProcess.start(FabricPeerProcess.Settings.of("peer1.org1.example.com", "Org1MSP",
                crypto(ORG1 + "/peers/peer1.org1.example.com")), dir.resolve("fabric-peer"));
    }

    @AfterEach
    void stop() {
        if (fabric != null) {
            fabric.close();
        }
        if (fabsim != null) {
            fabsim.close();
        }
    }

    private static CliIdentity admin() {
        return CliIdentity.ofUser("Org1MSP", crypto(ORG1 + "/users/Admin@org1.example.com"));
    }

    private static CliIdentity user() {
        return CliIdentity.ofUser("Org1MSP", crypto(ORG1 + "/users/User1@org1.example.com"));
    }

    private CliResult onFabsim(CliIdentity who, String... args) throws Exception {
        return FabricPeerProcess.cli("127.0.0.1:" + fabsim.grpcPort(), crypto(ORG1 + "/peers/peer0.org1.example.com/tls/ca.crt"),
                who, dir.resolve("cli"), args);
    }

    private CliResult onFabric(CliIdentity who, String... args) throws Exception {
        return fabric.cli(who, args);
    }

    /**
     * The CLI's output without its log lines (which carry timestamps): what it prints for the user.
     * Go's protobuf errors put a space or, chosen per binary on purpose, a no-break space after
     * {@code "proto:"}; both count as a space here.
     */
    private static String printed(CliResult result) {
        return String.join("\n", result.output().lines().filter(l -> !l.matches("^\\S*\\d{4}-\\d\\d-\\d\\d .*"))
                .map(l -> l.replace('\u00a0', ' ')).toList());
    }

    @Test
    void fabricsPeerCliGetsTheSameAnswersFromAFabsimPeerAsFromAFabricPeer() throws Exception {
        CliResult fabricList = onFabric(admin(), "channel", "list");
        CliResult fabsimList = onFabsim(admin(), "channel", "list");
        assertThat(fabricList.ok()).as(fabricList.output()).isTrue();
        assertThat(fabsimList.ok()).as(fabsimList.output()).isTrue();
        assertThat(printed(fabsimList)).isEqualTo(printed(fabricList));

        CliResult fabricRefused = onFabric(user(), "channel", "join", "-b", genesisFile.toString());
        CliResult fabsimRefused = onFabsim(user(), "channel", "join", "-b", genesisFile.toString());
        assertThat(fabricRefused.ok()).isFalse();
        assertThat(fabsimRefused.ok()).isFalse();
        assertThat(printed(fabsimRefused)).isEqualTo(printed(fabricRefused));

        Path garbage = dir.resolve("garbage.block");
        Files.write(garbage, new byte[] {0x0a, 0x7f, 0x01});
        CliResult fabricMalformed = onFabric(admin(), "channel", "join", "-b", garbage.toString());
        CliResult fabsimMalformed = onFabsim(admin(), "channel", "join", "-b", garbage.toString());
        assertThat(fabricMalformed.ok()).isFalse();
        assertThat(fabsimMalformed.ok()).isFalse();
        assertThat(printed(fabsimMalformed)).isEqualTo(printed(fabricMalformed));

        CliResult fabricJoin = onFabric(admin(), "channel", "join", "-b", genesisFile.toString());
        CliResult fabsimJoin = onFabsim(admin(), "channel", "join", "-b", genesisFile.toString());
        assertThat(fabricJoin.ok()).as(fabricJoin.output()).isTrue();
        assertThat(fabsimJoin.ok()).as(fabsimJoin.output()).isTrue();
        assertThat(fabsimJoin.output()).contains("Successfully submitted proposal to join channel");
        assertThat(fabsim.channelIds()).containsExactly(TestOrderers.CHANNEL);

        fabsimList = onFabsim(admin(), "channel", "list");
        assertThat(printed(fabsimList)).isEqualTo(printed(onFabric(admin(), "channel", "list")))
                .contains(TestOrderers.CHANNEL);

        CliResult fabricInfo = onFabric(user(), "channel", "getinfo", "-c", TestOrderers.CHANNEL);
        CliResult fabsimInfo = onFabsim(user(), "channel", "getinfo", "-c", TestOrderers.CHANNEL);
        assertThat(fabricInfo.ok()).as(fabricInfo.output()).isTrue();
        assertThat(fabsimInfo.ok()).as(fabsimInfo.output()).isTrue();
        assertThat(printed(fabsimInfo)).isEqualTo(printed(fabricInfo)).contains("\"height\":1");

        Path fetched = dir.resolve("fetched.block");
        CliResult fetch = onFabsim(admin(), "channel", "fetch", "0", fetched.toString(), "-c", TestOrderers.CHANNEL);
        assertThat(fetch.ok()).as(fetch.output()).isTrue();
        assertThat(Block.parseFrom(Files.readAllBytes(fetched)).getHeader())
                .isEqualTo(Block.parseFrom(Files.readAllBytes(genesisFile)).getHeader());
    }

    /**
     * Scenario: proposals the CLI would not make (a bad signature, a creator outside the local MSP,
     * an unknown system-chaincode function, a query on a channel not joined, a chaincode that is
     * not a system chaincode) sent to both peers by a gRPC client. Expected: the same gRPC status
     * or proposal response status and message from both; the fabsim peer keeps serving.
     */
    @Test
    void badProposalsGetTheAnswersOfARealFabricPeer() throws Exception {
        Signer admin = LocalMsp.loadSigningIdentity("Org1MSP", crypto(ORG1 + "/users/Admin@org1.example.com/msp"));
        Signer org2Admin = LocalMsp.loadSigningIdentity("Org2MSP",
                crypto("peerOrganizations/org2.example.com/users/Admin@org2.example.com/msp"));
        java.util.Map<String, SignedProposal> cases = new java.util.LinkedHashMap<>();
        SignedProposal good = proposal(admin, "cscc", "GetChannels");
        cases.put("bad signature", good.toBuilder().setSignature(ByteString.copyFrom(admin.sign(new byte[] {1}))).build());
        cases.put("creator outside the local MSP", proposal(org2Admin, "cscc", "GetChannels"));
        cases.put("unknown cscc function", proposal(admin, "cscc", "NoSuchFunction", "x"));
        cases.put("unknown qscc function", proposal(admin, "qscc", "NoSuchFunction", TestOrderers.CHANNEL));
        cases.put("channel not joined", proposal(admin, "qscc", "GetChainInfo", "nosuchchannel"));
        cases.put("not a system chaincode", proposal(admin, "basic", "invoke"));
        cases.put("no proposal bytes", SignedProposal.newBuilder().setSignature(ByteString.copyFromUtf8("s")).build());
        for (var entry : cases.entrySet()) {
            assertThat(answer(fabsimChannel(), entry.getValue())).as(entry.getKey())
                    .isEqualTo(answer(fabricChannel(), entry.getValue()));
        }
        assertThat(answer(fabsimChannel(), proposal(admin, "cscc", "GetChannels"))).startsWith("response 200");
    }

    private ManagedChannel fabsimChannel() throws Exception {
        return channel(fabsim.grpcPort(), crypto(ORG1 + "/peers/peer0.org1.example.com/tls/ca.crt"));
    }

    private ManagedChannel fabricChannel() throws Exception {
        return channel(fabric.port(), fabric.tlsRootCert());
    }

    private final java.util.List<ManagedChannel> grpcChannels = new java.util.ArrayList<>();

    @AfterEach
    void closeChannels() {
        grpcChannels.forEach(ManagedChannel::shutdownNow);
    }

    private ManagedChannel channel(int port, Path tlsRoot) throws Exception {
        Path tls = crypto(ORG1 + "/users/Admin@org1.example.com/tls");
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port)
                .sslContext(GrpcSslContexts.forClient().trustManager(tlsRoot.toFile())
                        .keyManager(tls.resolve("client.crt").toFile(), tls.resolve("client.key").toFile()).build())
                .build();
        grpcChannels.add(channel);
        return channel;
    }

    /** The outcome as text: the gRPC error, or the response's status, message and whether it is endorsed. */
    private static String answer(ManagedChannel channel, SignedProposal proposal) {
        try {
            ProposalResponse response = EndorserGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(60, java.util.concurrent.TimeUnit.SECONDS).processProposal(proposal);
            return "response " + response.getResponse().getStatus() + " " + response.getResponse().getMessage()
                    .replace('\u00a0', ' ') + (response.hasEndorsement() ? " (endorsed)" : "");
        } catch (StatusRuntimeException e) {
            return "grpc " + e.getStatus().getCode() + " " + String.valueOf(e.getStatus().getDescription()).replace('\u00a0', ' ');
        }
    }

    /** A proposal with no channel, as the CLI makes for cscc and qscc. */
    private static SignedProposal proposal(Signer signer, String chaincode, String... args) {
        byte[] nonce = Envelopes.nonce();
        ChaincodeID id = ChaincodeID.newBuilder().setName(chaincode).build();
        ChannelHeader channelHeader = ChannelHeader.newBuilder().setType(HeaderType.ENDORSER_TRANSACTION_VALUE)
                .setTxId(Envelopes.computeTxId(nonce, signer.serializedIdentity()))
                .setTimestamp(com.google.protobuf.Timestamp.newBuilder().setSeconds(java.time.Instant.now().getEpochSecond()))
                .setExtension(ChaincodeHeaderExtension.newBuilder().setChaincodeId(id).build().toByteString()).build();
        ChaincodeInput.Builder input = ChaincodeInput.newBuilder();
        for (String arg : args) {
            input.addArgs(ByteString.copyFromUtf8(arg));
        }
        Proposal proposal = Proposal.newBuilder()
                .setHeader(Header.newBuilder().setChannelHeader(channelHeader.toByteString())
                        .setSignatureHeader(Envelopes.signatureHeader(signer.serializedIdentity(), nonce).toByteString())
                        .build().toByteString())
                .setPayload(ChaincodeProposalPayload.newBuilder().setInput(ChaincodeInvocationSpec.newBuilder()
                        .setChaincodeSpec(ChaincodeSpec.newBuilder().setChaincodeId(id).setType(ChaincodeSpec.Type.GOLANG)
                                .setInput(input)).build().toByteString()).build().toByteString())
                .build();
        return SignedProposal.newBuilder().setProposalBytes(proposal.toByteString())
                .setSignature(ByteString.copyFrom(signer.sign(proposal.toByteArray()))).build();
    }
}
