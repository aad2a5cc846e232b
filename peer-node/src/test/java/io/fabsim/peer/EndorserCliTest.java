package io.fabsim.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabsim.common.config.ConfigLoader;
import io.fabsim.common.testing.FabricVectors;
import io.fabsim.common.time.Clock;
import io.fabsim.peer.fabric.FabricPeerProcess;
import io.fabsim.peer.fabric.FabricPeerProcess.CliIdentity;
import io.fabsim.peer.fabric.FabricPeerProcess.CliResult;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hyperledger.fabric.protos.common.Block;
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
        Block genesis = TestOrderer.genesisFor(FabricPeerProcess.freePort());
        genesisFile = dir.resolve("genesis.block");
        Files.write(genesisFile, genesis.toByteArray());
        Path peerNode = crypto(ORG1 + "/peers/peer0.org1.example.com");
        fabsim = PeerNode.start(ConfigLoader.fromString("""
                peer.id = peer0.org1
                peer.localMspId = Org1MSP
                peer.mspConfigPath = "%1$s/msp"
                peer.fileSystemPath = "%2$s"
                peer.listenAddress = "127.0.0.1:0"
                peer.tls { enabled = true, clientAuthRequired = true
                  cert.file = "%1$s/tls/server.crt", key.file = "%1$s/tls/server.key", rootcert.file = "%1$s/tls/ca.crt" }
                operations.listenAddress = "127.0.0.1:0"
                ledger.blockStore.fsync = false
                peer.gossip.useLeaderElection = false
                peer.gossip.orgLeader = true
                """.formatted(peerNode, dir.resolve("fabsim-peer"))), Clock.system());
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
        assertThat(fabsim.channelIds()).containsExactly(TestOrderer.CHANNEL);

        fabsimList = onFabsim(admin(), "channel", "list");
        assertThat(printed(fabsimList)).isEqualTo(printed(onFabric(admin(), "channel", "list")))
                .contains(TestOrderer.CHANNEL);

        CliResult fabricInfo = onFabric(user(), "channel", "getinfo", "-c", TestOrderer.CHANNEL);
        CliResult fabsimInfo = onFabsim(user(), "channel", "getinfo", "-c", TestOrderer.CHANNEL);
        assertThat(fabricInfo.ok()).as(fabricInfo.output()).isTrue();
        assertThat(fabsimInfo.ok()).as(fabsimInfo.output()).isTrue();
        assertThat(printed(fabsimInfo)).isEqualTo(printed(fabricInfo)).contains("\"height\":1");

        Path fetched = dir.resolve("fetched.block");
        CliResult fetch = onFabsim(admin(), "channel", "fetch", "0", fetched.toString(), "-c", TestOrderer.CHANNEL);
        assertThat(fetch.ok()).as(fetch.output()).isTrue();
        assertThat(Block.parseFrom(Files.readAllBytes(fetched)).getHeader())
                .isEqualTo(Block.parseFrom(Files.readAllBytes(genesisFile)).getHeader());
    }
}
