package io.fabsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabsim.common.config.HostPort;
import io.fabsim.common.configtx.ChannelConfig;
import io.fabsim.common.configtx.OrgConfig;
import io.fabsim.common.msp.LocalMsp;
import io.fabsim.common.protoutil.BlockHashing;
import io.fabsim.common.protoutil.BlockSignatures;
import io.fabsim.common.protoutil.Blocks;
import io.fabsim.common.protoutil.EnvelopeSpec;
import io.fabsim.common.protoutil.Envelopes;
import io.fabsim.common.time.Clock;
import org.hyperledger.fabric.protos.common.HeaderType;
import io.fabsim.common.testing.FabricVectors;
import io.fabsim.common.verify.ChannelBlockVerifier;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import com.google.protobuf.ByteString;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code fabsim configtxgen} with the shipped conf/configtx.conf against the Fabric vectors'
 * crypto material (same layout as fabsim's cryptogen output: example.com, org1/org2.example.com).
 */
class ConfigtxgenCommandTest {

    private static final Path CONF = Path.of("../conf/configtx.conf");

    private static int run(StringWriter out, StringWriter err, String... args) {
        return FabsimCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void writesAGenesisBlockThatParsesBackAndVerifiesOrdererBlocks(@TempDir Path dir) throws Exception {
        Path crypto = FabricVectors.dir().resolve("crypto-config");
        Path output = dir.resolve("out/mychannel.block");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = run(out, err, "configtxgen", "--config", CONF.toString(), "--cryptoDir", crypto.toString(),
                "--profile", "TwoOrgsChannel", "--channelID", "mychannel", "--outputBlock", output.toString(),
                "--ordererEndpoint", "127.0.0.1:17050", "--ordererEndpoint", "OrdererOrg=127.0.0.1:17051");
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("Wrote genesis block of channel mychannel")
                .contains("[127.0.0.1:17050, 127.0.0.1:17051]");

        Block genesis = Block.parseFrom(Files.readAllBytes(output));
        assertThat(genesis.getHeader().getNumber()).isZero();
        ChannelConfig config = ChannelConfig.fromBlock(genesis);
        assertThat(config.channelId()).isEqualTo("mychannel");
        assertThat(config.ordererOrgs()).extracting(OrgConfig::mspId).containsExactly("OrdererMSP");
        assertThat(config.applicationOrgs()).extracting(OrgConfig::mspId).containsExactly("Org1MSP", "Org2MSP");
        List<HostPort> endpoints = List.of(new HostPort("127.0.0.1", 17050), new HostPort("127.0.0.1", 17051));
        assertThat(config.ordererOrgs().get(0).endpoints()).isEqualTo(endpoints);
        assertThat(config.globalOrdererAddresses()).isEqualTo(endpoints);
        assertThat(config.batchSize().maxMessageCount()).isEqualTo(10);
        assertThat(config.batchSize().absoluteMaxBytes()).isEqualTo(99 * 1024 * 1024);
        assertThat(config.batchSize().preferredMaxBytes()).isEqualTo(512 * 1024);
        assertThat(config.batchTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.consensusType()).isEqualTo("solo");
        assertThat(config.ordererEndpoints().get(0).tlsRootCerts()).hasSize(1);

        // A block signed by an orderer identity from that material verifies under this config.
        var orderer = LocalMsp.loadSigningIdentity("OrdererMSP",
                crypto.resolve("ordererOrganizations/example.com/orderers/orderer.example.com/msp"));
        var client = LocalMsp.loadSigningIdentity("Org1MSP",
                crypto.resolve("peerOrganizations/org1.example.com/users/User1@org1.example.com/msp"));
        var tx = Envelopes.createSigned(EnvelopeSpec.of(HeaderType.MESSAGE, "mychannel", ByteString.copyFromUtf8("tx")),
                client, Clock.system());
        Block data = Blocks.newBlock(1, BlockHashing.headerHashBytes(genesis.getHeader()), List.of(tx.toByteString()));
        Block signed = BlockSignatures.sign(data, 0, ByteString.EMPTY, orderer);
        ChannelBlockVerifier.forConfig(config).verify(1, signed, BlockHashing.headerHashBytes(genesis.getHeader()));
    }

    @Test
    void cryptogenThenConfigtxgenWithTheShippedConfs(@TempDir Path dir) throws Exception {
        Path crypto = dir.resolve("crypto-config");
        StringWriter err = new StringWriter();
        assertThat(run(new StringWriter(), err, "cryptogen", "generate", "--config", "../conf/crypto-config.conf",
                "--output", crypto.toString())).as(err.toString()).isZero();
        Path output = dir.resolve("demo.block");
        assertThat(run(new StringWriter(), err, "configtxgen", "--config", CONF.toString(), "--cryptoDir", crypto.toString(),
                "--profile", "TwoOrgsChannel", "--channelID", "demo", "--outputBlock", output.toString()))
                .as(err.toString()).isZero();
        Block genesis = Block.parseFrom(Files.readAllBytes(output));
        ChannelConfig config = ChannelConfig.fromBlock(genesis);
        assertThat(config.ordererEndpoints()).extracting(e -> e.address().toString())
                .containsExactly("127.0.0.1:7050", "127.0.0.1:7051");
        for (String node : List.of("orderer0", "orderer1")) {
            var orderer = LocalMsp.loadSigningIdentity("OrdererMSP",
                    crypto.resolve("ordererOrganizations/example.com/orderers/" + node + ".example.com/msp"));
            Block signed = BlockSignatures.sign(Blocks.newBlock(1, BlockHashing.headerHashBytes(genesis.getHeader()),
                    List.of(genesis.getData().getData(0))), 0, ByteString.EMPTY, orderer);
            ChannelBlockVerifier.forConfig(config).verify(1, signed);
        }
    }

    @Test
    void badInputGetsDistinctExitCodes(@TempDir Path dir) {
        Path crypto = FabricVectors.dir().resolve("crypto-config");
        StringWriter err = new StringWriter();
        int unknownProfile = run(new StringWriter(), err, "configtxgen", "--config", CONF.toString(), "--cryptoDir",
                crypto.toString(), "--profile", "Nope", "--channelID", "ch", "--outputBlock", dir.resolve("b").toString());
        assertThat(unknownProfile).isEqualTo(ExitCode.BAD_CONFIG.code());
        assertThat(err.toString()).contains("known profiles: [TwoOrgsChannel]");

        StringWriter err2 = new StringWriter();
        int noCrypto = run(new StringWriter(), err2, "configtxgen", "--config", CONF.toString(), "--cryptoDir",
                dir.resolve("missing").toString(), "--profile", "TwoOrgsChannel", "--channelID", "ch",
                "--outputBlock", dir.resolve("b").toString());
        assertThat(noCrypto).isEqualTo(ExitCode.BAD_CONFIG.code());
        assertThat(err2.toString()).contains("MSPDir").contains("missing");
        assertThat(dir.resolve("b")).doesNotExist();

        StringWriter err3 = new StringWriter();
        int badChannel = run(new StringWriter(), err3, "configtxgen", "--config", CONF.toString(), "--profile",
                "TwoOrgsChannel", "--channelID", "Bad_Channel", "--outputBlock", dir.resolve("b").toString());
        assertThat(badChannel).isEqualTo(ExitCode.USAGE.code());
        assertThat(err3.toString()).contains("--channelID");

        int missingOption = run(new StringWriter(), new StringWriter(), "configtxgen", "--config", CONF.toString());
        assertThat(missingOption).isEqualTo(ExitCode.USAGE.code());
    }
}
