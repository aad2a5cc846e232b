package io.fabsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabsim.common.config.ConfigLoader;
import io.fabsim.common.config.ConfigReader;
import io.fabsim.common.protoutil.BlockHashing;
import io.fabsim.common.testing.FabricVectors;
import io.fabsim.common.time.Clock;
import io.fabsim.peer.PeerNode;
import io.fabsim.tools.testing.VectorGenesis;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fabsim peer ...} in process: refused start, and the channel commands against a running peer. */
class PeerCommandTest {

    @TempDir
    Path dir;

    private PeerNode node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    record Run(int code, String out, String err) {
    }

    static Run fabsim(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = FabsimCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void bothLeaderFlagsRefuseToStartWithTheirOwnExitCodeAndOpenNothing() throws Exception {
        Path ledgers = dir.resolve("ledgers");
        Path config = Files.writeString(dir.resolve("peer.conf"), """
                peer.fileSystemPath = "%s"
                peer.listenAddress = "127.0.0.1:0"
                operations.listenAddress = "127.0.0.1:0"
                peer.gossip.useLeaderElection = true
                peer.gossip.orgLeader = true
                """.formatted(ledgers));

        Run run = fabsim("peer", "node", "start", "--config", config.toString());

        assertThat(run.code()).isEqualTo(ExitCode.REFUSED_TO_START.code());
        assertThat(run.err()).contains("Setting both orgLeader and useLeaderElection to true isn't supported, aborting execution");
        assertThat(ledgers).doesNotExist();
    }

    @Test
    void aBadConfigValueIsABadConfigExit() throws Exception {
        Path config = Files.writeString(dir.resolve("peer.conf"), "peer.gossip.orgLeader = maybe\n");

        Run run = fabsim("peer", "node", "start", "--config", config.toString());

        assertThat(run.code()).isEqualTo(ExitCode.BAD_CONFIG.code());
        assertThat(run.err()).contains("peer.gossip.orgLeader");
    }

    @Test
    void joinListAndGetinfoTalkToARunningPeer() throws Exception {
        node = PeerNode.start(peerConfig(), Clock.system());
        String admin = "127.0.0.1:" + node.operationsAddress().port();
        Block genesis = genesis();
        Path blockFile = Files.write(dir.resolve("peerch.block"), genesis.toByteArray());

        Run join = fabsim("peer", "channel", "join", "--block", blockFile.toString(), "--admin", admin);
        Run again = fabsim("peer", "channel", "join", "--block", blockFile.toString(), "--admin", admin);
        Run list = fabsim("peer", "channel", "list", "--admin", admin);
        Run info = fabsim("peer", "channel", "getinfo", "-c", "peerch", "--admin", admin);
        Run unknown = fabsim("peer", "channel", "getinfo", "-c", "nope", "--admin", admin);

        assertThat(join.code()).isZero();
        assertThat(join.out()).contains("Successfully joined channel peerch");
        assertThat(again.code()).isEqualTo(ExitCode.REMOTE_ERROR.code());
        assertThat(again.err()).contains("already joined");
        assertThat(list.out()).isEqualTo("Channels peers has joined: " + System.lineSeparator() + "peerch"
                + System.lineSeparator());
        String hash = Base64.getEncoder().encodeToString(BlockHashing.headerHash(genesis.getHeader()));
        assertThat(info.out().trim()).isEqualTo("Blockchain info: {\"height\":1,\"currentBlockHash\":\"" + hash + "\"}");
        assertThat(unknown.code()).isEqualTo(ExitCode.REMOTE_ERROR.code());
        assertThat(unknown.err()).contains("not joined");
    }

    @Test
    void aBlockThatIsNotAConfigBlockIsRefusedWithAReason() throws Exception {
        node = PeerNode.start(peerConfig(), Clock.system());
        Block notGenesis = genesis().toBuilder().setHeader(genesis().getHeader().toBuilder().setNumber(7)).build();
        Path blockFile = Files.write(dir.resolve("bad.block"), notGenesis.toByteArray());

        Run join = fabsim("peer", "channel", "join", "--block", blockFile.toString(),
                "--admin", "127.0.0.1:" + node.operationsAddress().port());

        assertThat(join.code()).isEqualTo(ExitCode.REMOTE_ERROR.code());
        assertThat(join.err()).contains("expected a genesis block (number 0), got block 7");
        assertThat(node.channelIds()).isEmpty();
    }

    @Test
    void anUnreachablePeerIsAFailureNamingTheAddress() {
        Run run = fabsim("peer", "channel", "list", "--admin", "127.0.0.1:1");

        assertThat(run.code()).isEqualTo(ExitCode.FAILURE.code());
        assertThat(run.err()).contains("127.0.0.1:1");
    }

    @Test
    void theChannelCommandsReachAPeerWhoseOperationsEndpointRequiresMutualTls() throws Exception {
        // Scenario: operations.tls with clientAuthRequired (cryptogen's peer TLS pair, SAN 127.0.0.1).
        // Expected: with --config (which names the server certificate to trust) and a user's TLS pair the
        // command works; without a client certificate it says one is needed; plain HTTP gets no answer.
        Path crypto = dir.resolve("crypto");
        assertThat(fabsim("cryptogen", "generate", "--config", Files.writeString(dir.resolve("crypto.conf"), """
                PeerOrgs = [{ Name = Org1, Domain = org1.example.com, EnableNodeOUs = true,
                  Template { Count = 1, SANS = ["127.0.0.1"] }, Users { Count = 1 } }]
                """).toString(), "--output", crypto.toString()).code()).isZero();
        Path org = crypto.resolve("peerOrganizations/org1.example.com");
        Path config = Files.writeString(dir.resolve("peer.conf"), peerConfigText() + """
                operations.tls { enabled = true, clientAuthRequired = true
                  cert.file = "crypto/peerOrganizations/org1.example.com/peers/peer0.org1.example.com/tls/server.crt"
                  key.file = "crypto/peerOrganizations/org1.example.com/peers/peer0.org1.example.com/tls/server.key"
                  clientRootCAs.files = ["crypto/peerOrganizations/org1.example.com/tlsca/tlsca.org1.example.com-cert.pem"] }
                """);
        node = PeerNode.start(ConfigLoader.load(Optional.of(config), java.util.Map.of(), List.of()), Clock.system());
        String admin = "127.0.0.1:" + node.operationsAddress().port();
        Path user = org.resolve("users/User1@org1.example.com/tls");

        Run list = fabsim("peer", "channel", "list", "--config", config.toString(), "--admin", admin,
                "--certfile", user.resolve("client.crt").toString(), "--keyfile", user.resolve("client.key").toString());
        Run noClientCert = fabsim("peer", "channel", "list", "--config", config.toString(), "--admin", admin);
        Run plain = fabsim("peer", "channel", "list", "--admin", admin);

        assertThat(list.code()).as(list.err()).isZero();
        assertThat(list.out()).startsWith("Channels peers has joined: ");
        assertThat(noClientCert.code()).isEqualTo(ExitCode.USAGE.code());
        assertThat(noClientCert.err()).contains("requires a client certificate: give --certfile and --keyfile");
        assertThat(plain.code()).isEqualTo(ExitCode.FAILURE.code());
    }

    private ConfigReader peerConfig() {
        return ConfigLoader.fromString(peerConfigText());
    }

    private String peerConfigText() {
        Path msp = FabricVectors.dir().resolve("crypto-config/peerOrganizations/org1.example.com/peers/peer0.org1.example.com/msp");
        return """
                peer.localMspId = Org1MSP
                peer.mspConfigPath = "%s"
                peer.fileSystemPath = "%s"
                peer.listenAddress = "127.0.0.1:0"
                operations.listenAddress = "127.0.0.1:0"
                peer.gossip.useLeaderElection = false
                ledger.blockStore.fsync = false
                """.formatted(msp, dir.resolve("ledgers"));
    }

    static Block genesis() throws Exception {
        return VectorGenesis.block("peerch", 7050);
    }
}
