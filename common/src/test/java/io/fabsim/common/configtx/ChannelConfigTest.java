package io.fabsim.common.configtx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.fabsim.common.config.HostPort;
import io.fabsim.common.testing.FabricVectors;
import io.fabsim.common.time.GoDurations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigValue;
import org.hyperledger.fabric.protos.common.ImplicitMetaPolicy;
import org.junit.jupiter.api.Test;

class ChannelConfigTest {

    static Block block(int n) throws Exception {
        return Block.parseFrom(FabricVectors.read(FabricVectors.chainBlock(n)));
    }

    @Test
    void genesisBlockParsesToTheVectorsChannel() throws Exception {
        Path dir = FabricVectors.dir();
        ChannelConfig config = ChannelConfig.fromBlock(Block.parseFrom(FabricVectors.read(dir.resolve("genesis.block"))));
        assertThat(config.channelId()).isEqualTo("vectors");
        assertThat(config.sequence()).isZero();
        assertThat(config.applicationOrgs()).extracting(OrgConfig::mspId).containsExactly("Org1MSP", "Org2MSP");
        assertThat(config.ordererOrgs()).extracting(OrgConfig::mspId).containsExactly("OrdererMSP");
        assertThat(config.ordererOrgs().get(0).name()).isEqualTo("OrdererOrg");
        assertThat(config.ordererOrgs().get(0).endpoints()).containsExactly(new HostPort("127.0.0.1", 17050));
        assertThat(config.globalOrdererAddresses()).isEmpty();
        assertThat(config.ordererEndpoints()).singleElement().satisfies(e -> {
            assertThat(e.address()).isEqualTo(new HostPort("127.0.0.1", 17050));
            assertThat(e.mspId()).isEqualTo("OrdererMSP");
            assertThat(e.tlsRootCerts()).containsExactly(pem(dir,
                    "crypto-config/ordererOrganizations/example.com/tlsca/tlsca.example.com-cert.pem"));
        });
        assertThat(config.batchSize()).isEqualTo(new BatchSize(5, 103809024, 524288));
        assertThat(config.batchTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.consensusType()).isEqualTo("etcdraft");
        assertThat(config.channelCapabilities()).containsExactly("V2_0");
        assertThat(config.ordererCapabilities()).containsExactly("V2_0");
        assertThat(config.applicationCapabilities()).containsExactly("V2_0");

        OrgConfig org1 = config.org("Org1MSP").orElseThrow();
        assertThat(org1.rootCerts()).containsExactly(pem(dir, "crypto-config/peerOrganizations/org1.example.com/ca/ca.org1.example.com-cert.pem"));
        assertThat(org1.tlsRootCerts()).containsExactly(pem(dir, "crypto-config/peerOrganizations/org1.example.com/tlsca/tlsca.org1.example.com-cert.pem"));
        assertThat(org1.intermediateCerts()).isEmpty();
        assertThat(org1.nodeOus().getEnable()).isTrue();
        assertThat(org1.nodeOus().getPeerOuIdentifier().getOrganizationalUnitIdentifier()).isEqualTo("peer");

        assertThat(config.policy(ChannelConfig.BLOCK_VALIDATION)).contains(
                new PolicyRule.ImplicitMeta("Writers", ImplicitMetaPolicy.Rule.ANY));
        assertThat(config.policy("/Channel/Application/Admins")).contains(
                new PolicyRule.ImplicitMeta("Admins", ImplicitMetaPolicy.Rule.MAJORITY));
        assertThat(config.policy("/Channel/Application/Org1MSP/Readers")).get().isInstanceOf(PolicyRule.Signature.class);
        assertThat(config.policies().group("Orderer").orElseThrow().groups()).containsOnlyKeys("OrdererOrg");
        assertThat(config.policy("/Channel/Nope/Readers")).isEmpty();

        assertThat(config.orgMsp("OrdererMSP").orElseThrow().nodeOUs().enabled()).isTrue();
        byte[] orderer = io.fabsim.common.msp.LocalMsp.loadSigningIdentity("OrdererMSP", dir.resolve(
                "crypto-config/ordererOrganizations/example.com/orderers/orderer.example.com/msp")).serializedIdentity();
        assertThat(config.mspVerifier().validate(orderer).role()).isEqualTo(io.fabsim.common.msp.Role.ORDERER);
    }

    @Test
    void block10CarriesTheUpdatedBatchTimeout() throws Exception {
        ChannelConfig config = ChannelConfig.fromBlock(block(10));
        assertThat(config.sequence()).isEqualTo(1);
        assertThat(config.batchTimeout()).isEqualTo(Duration.ofMillis(300));
        assertThat(config.batchSize().maxMessageCount()).isEqualTo(5);
        assertThat(config.allOrgs()).extracting(OrgConfig::mspId).containsExactly("OrdererMSP", "Org1MSP", "Org2MSP");
    }

    @Test
    void dataBlocksAndBrokenValuesAreRefusedWithThePath() throws Exception {
        Block dataBlock = block(3);
        assertThatThrownBy(() -> ChannelConfig.fromBlock(dataBlock))
                .isInstanceOf(ConfigTxException.class).hasMessageContaining("block 3: expected a config block");

        Config good = ChannelConfig.fromBlock(block(0)).config();
        ConfigGroup orderer = good.getChannelGroup().getGroupsOrThrow("Orderer").toBuilder()
                .putValues("BatchSize", ConfigValue.newBuilder().setValue(ByteString.copyFrom(new byte[] {(byte) 0xff})).build())
                .build();
        Config broken = good.toBuilder().setChannelGroup(good.getChannelGroup().toBuilder().putGroups("Orderer", orderer)).build();
        assertThatThrownBy(() -> ChannelConfig.fromConfig("vectors", broken))
                .isInstanceOf(ConfigTxException.class).hasMessageStartingWith("/Channel/Orderer/BatchSize: not a orderer.BatchSize");

        ConfigGroup badTimeout = good.getChannelGroup().getGroupsOrThrow("Orderer").toBuilder()
                .putValues("BatchTimeout", ConfigValue.newBuilder().setValue(
                        org.hyperledger.fabric.protos.orderer.BatchTimeout.newBuilder().setTimeout("soon").build().toByteString()).build())
                .build();
        Config broken2 = good.toBuilder().setChannelGroup(good.getChannelGroup().toBuilder().putGroups("Orderer", badTimeout)).build();
        assertThatThrownBy(() -> ChannelConfig.fromConfig("vectors", broken2))
                .hasMessage("/Channel/Orderer/BatchTimeout: not a Go duration (like 250ms, 2s, 1m30s): \"soon\"");
    }

    @Test
    void goDurations() {
        assertThat(GoDurations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(GoDurations.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(GoDurations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(GoDurations.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(GoDurations.parse("10us")).isEqualTo(Duration.ofNanos(10_000));
        assertThatThrownBy(() -> GoDurations.parse("5 s")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GoDurations.parse("ms")).isInstanceOf(IllegalArgumentException.class);
        assertThat(GoDurations.format(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(GoDurations.format(Duration.ofSeconds(2))).isEqualTo("2s");
        assertThat(GoDurations.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(GoDurations.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
        assertThat(GoDurations.format(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(GoDurations.format(Duration.ofNanos(1_500_000))).isEqualTo("1.5ms");
        assertThat(GoDurations.format(Duration.ofNanos(20))).isEqualTo("20ns");
        assertThat(GoDurations.format(Duration.ofHours(1))).isEqualTo("1h0m0s");
        assertThat(GoDurations.format(Duration.ofMinutes(1))).isEqualTo("1m0s");
    }

    private static ByteString pem(Path dir, String relative) throws Exception {
        return ByteString.copyFrom(Files.readAllBytes(dir.resolve(relative)));
    }
}
