package io.fabsim.tools.configtxgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabsim.common.config.ConfigException;
import io.fabsim.common.config.ConfigLoader;
import io.fabsim.common.config.HostPort;
import io.fabsim.common.configtx.BatchSize;
import io.fabsim.common.configtx.ChannelConfig;
import io.fabsim.common.configtx.ConfigTxException;
import io.fabsim.common.protoutil.BlockHashing;
import io.fabsim.common.protoutil.Blocks;
import io.fabsim.common.testing.FabricVectors;
import io.fabsim.common.time.ManualClock;
import io.fabsim.tools.testing.GeneratedCrypto;
import io.fabsim.tools.testing.VectorGenesis;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.junit.jupiter.api.Test;

class ConfigtxGeneratorTest {

    static final String VECTORS_CONF = VectorGenesis.VECTORS_CONFIGTX;

    static ConfigtxConfig vectorsConfig(String hocon) {
        return ConfigtxConfig.from(ConfigLoader.fromString(hocon), Optional.of(FabricVectors.dir()));
    }

    /** The same file over crypto material made by the project's cryptogen (same names as the vectors'). */
    static ConfigtxConfig generatedConfig(String hocon) {
        return ConfigtxConfig.from(ConfigLoader.fromString(hocon), Optional.of(GeneratedCrypto.dir()));
    }

    @Test
    void theVectorsProfileGivesFabricsOwnChannelConfig() throws Exception {
        ConfigtxConfig file = vectorsConfig(VECTORS_CONF);
        var ours = ConfigtxGenerator.channelConfig(file, file.profile("TwoOrgsVectorsEtcdRaft"));
        var fabrics = ChannelConfig.fromBlock(Block.parseFrom(FabricVectors.read(FabricVectors.dir().resolve("genesis.block"))))
                .config();
        assertThat(ours).isEqualTo(fabrics);
    }

    @Test
    void theGenesisBlockLooksLikeConfigtxgensAndParsesBack() throws Exception {
        ConfigtxConfig file = vectorsConfig(VECTORS_CONF);
        ManualClock clock = new ManualClock(Instant.parse("2026-11-21T09:47:45.5Z"));
        Block block = ConfigtxGenerator.genesisBlock("vectors",
                ConfigtxGenerator.channelConfig(file, file.profile("TwoOrgsVectorsEtcdRaft")), clock);
        assertThat(block.getHeader().getNumber()).isZero();
        assertThat(block.getHeader().getPreviousHash()).isEmpty();
        assertThat(block.getHeader().getDataHash().toByteArray()).isEqualTo(BlockHashing.dataHash(block.getData()));
        Block fabric = Block.parseFrom(FabricVectors.read(FabricVectors.dir().resolve("genesis.block")));
        assertThat(block.getMetadata()).isEqualTo(fabric.getMetadata());
        assertThat(Blocks.isConfigBlock(block)).isTrue();
        assertThat(Blocks.metadataSlot(block, BlockMetadataIndex.LAST_CONFIG)).isEmpty();
        var header = Blocks.firstChannelHeader(block);
        assertThat(header.getVersion()).isEqualTo(1);
        assertThat(header.getTimestamp().getSeconds()).isEqualTo(clock.now().getEpochSecond());
        assertThat(header.getTxId()).hasSize(64);

        ChannelConfig parsed = ChannelConfig.fromBlock(block);
        assertThat(parsed.channelId()).isEqualTo("vectors");
        assertThat(parsed.batchTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(parsed.batchSize()).isEqualTo(new BatchSize(5, 103809024, 524288));
    }

    @Test
    void endpointsCanBeOverriddenForOneOrdererOrg() throws Exception {
        String withAddresses = VECTORS_CONF.replace("Organizations = [OrdererOrg]",
                "Organizations = [OrdererOrg]\nAddresses = [\"127.0.0.1:1\"]");
        ConfigtxConfig file = generatedConfig(withAddresses)
                .withOrdererEndpoints("TwoOrgsVectorsEtcdRaft", List.of("127.0.0.1:7050", "OrdererOrg=localhost:7051"));
        ChannelConfig parsed = ChannelConfig.fromBlock(ConfigtxGenerator.genesisBlock("ch1",
                ConfigtxGenerator.channelConfig(file, file.profile("TwoOrgsVectorsEtcdRaft")), new ManualClock()));
        List<HostPort> expected = List.of(new HostPort("127.0.0.1", 7050), new HostPort("localhost", 7051));
        assertThat(parsed.ordererOrgs().get(0).endpoints()).isEqualTo(expected);
        assertThat(parsed.globalOrdererAddresses()).isEqualTo(expected);
        assertThatThrownBy(() -> generatedConfig(VECTORS_CONF).withOrdererEndpoints("TwoOrgsVectorsEtcdRaft", List.of("Org1=h:1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("expected an orderer organization");
        assertThatThrownBy(() -> generatedConfig(VECTORS_CONF).withOrdererEndpoints("TwoOrgsVectorsEtcdRaft", List.of("nope")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("expected [OrgKey=]host:port");
    }

    @Test
    void badInputNamesTheKey() {
        assertThatThrownBy(() -> generatedConfig(VECTORS_CONF.replace("250ms", "fast")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Profiles.TwoOrgsVectorsEtcdRaft.Orderer.BatchTimeout");
        assertThatThrownBy(() -> generatedConfig(VECTORS_CONF.replace("\"99 MB\"", "\"lots\"")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("AbsoluteMaxBytes").hasMessageContaining("\"lots\"");
        assertThatThrownBy(() -> generatedConfig(VECTORS_CONF.replace("[Org1, Org2]", "[Org1, Org3]")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("got \"Org3\"");
        assertThatThrownBy(() -> generatedConfig(VECTORS_CONF.replace("OrdererType", "OrdererTipe")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("OrdererTipe: unknown key");
        assertThatThrownBy(() -> generatedConfig(VECTORS_CONF).profile("Nope"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("known profiles: [TwoOrgsVectorsEtcdRaft]");
        ConfigtxConfig missingMsp = ConfigtxConfig.from(ConfigLoader.fromString(
                VECTORS_CONF.replaceAll("(?s)EtcdRaft.Consenters = \\[.*?\\]", "")), Optional.of(Path.of("/nonexistent")));
        assertThatThrownBy(() -> ConfigtxGenerator.channelConfig(missingMsp, missingMsp.profile("TwoOrgsVectorsEtcdRaft")))
                .isInstanceOf(ConfigTxException.class).hasMessageContaining("MSPDir /nonexistent/crypto-config");
    }
}
