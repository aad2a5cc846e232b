package io.fabsim.tools.configtxgen;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import io.fabsim.common.config.HostPort;
import io.fabsim.common.configtx.BatchSize;
import io.fabsim.common.configtx.ChannelConfig;
import io.fabsim.common.configtx.ConfigTxException;
import io.fabsim.common.crypto.CryptoMaterialException;
import io.fabsim.common.msp.OrgMsp;
import io.fabsim.common.protoutil.BlockSignatures;
import io.fabsim.common.protoutil.Blocks;
import io.fabsim.common.protoutil.Envelopes;
import io.fabsim.common.time.Clock;
import io.fabsim.common.time.GoDurations;
import io.fabsim.tools.configtxgen.ConfigtxConfig.ConsenterSpec;
import io.fabsim.tools.configtxgen.ConfigtxConfig.OrdererSpec;
import io.fabsim.tools.configtxgen.ConfigtxConfig.OrganizationSpec;
import io.fabsim.tools.configtxgen.ConfigtxConfig.ProfileSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockDataHashingStructure;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.Capabilities;
import org.hyperledger.fabric.protos.common.Capability;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigValue;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HashingAlgorithm;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.ImplicitMetaPolicy.Rule;
import org.hyperledger.fabric.protos.common.MSPRole.MSPRoleType;
import org.hyperledger.fabric.protos.common.OrdererAddresses;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.msp.MSPConfig;
import org.hyperledger.fabric.protos.orderer.BatchTimeout;
import org.hyperledger.fabric.protos.orderer.ChannelRestrictions;
import org.hyperledger.fabric.protos.orderer.ConsensusType;
import org.hyperledger.fabric.protos.orderer.etcdraft.ConfigMetadata;
import org.hyperledger.fabric.protos.orderer.etcdraft.Consenter;
import org.hyperledger.fabric.protos.orderer.etcdraft.Options;

/**
 * Fabric's {@code configtxgen -outputBlock}: a channel config ({@code /Channel} with the
 * Orderer and Application groups, each org's MSP config read from its MSP folder, Fabric's
 * default policies, capabilities V2_0) and the unsigned genesis block that carries it.
 */
public final class ConfigtxGenerator {

    /** The capability every group gets. */
    public static final String CAPABILITY = "V2_0";

    private ConfigtxGenerator() {
    }

    /** The {@code common.Config} (sequence 0) of {@code profile}. */
    public static Config channelConfig(ConfigtxConfig file, ProfileSpec profile) throws ConfigTxException {
        ConfigGroup.Builder channel = group()
                .putValues("HashingAlgorithm", value(HashingAlgorithm.newBuilder().setName("SHA256").build()))
                .putValues("BlockDataHashingStructure", value(BlockDataHashingStructure.newBuilder().setWidth(-1).build()))
                .putValues("Capabilities", capabilities())
                .putGroups(ChannelConfig.ORDERER_GROUP, ordererGroup(file, profile.orderer()).build());
        if (!profile.orderer().addresses().isEmpty()) {
            channel.putValues("OrdererAddresses", addresses(profile.orderer().addresses()));
        }
        ConfigGroup.Builder application = group().putValues("Capabilities", capabilities());
        standardGroupPolicies(application);
        application.putPolicies("LifecycleEndorsement", FabricPolicies.implicitMeta(Rule.MAJORITY, "Endorsement"));
        application.putPolicies("Endorsement", FabricPolicies.implicitMeta(Rule.MAJORITY, "Endorsement"));
        for (String key : profile.applicationOrganizations()) {
            OrganizationSpec org = file.organizations().get(key);
            ConfigGroup.Builder orgGroup = orgGroup(org);
            orgGroup.putPolicies("Readers", FabricPolicies.anyOf(org.mspId(), MSPRoleType.ADMIN, MSPRoleType.PEER, MSPRoleType.CLIENT));
            orgGroup.putPolicies("Writers", FabricPolicies.anyOf(org.mspId(), MSPRoleType.ADMIN, MSPRoleType.CLIENT));
            orgGroup.putPolicies("Admins", FabricPolicies.anyOf(org.mspId(), MSPRoleType.ADMIN));
            orgGroup.putPolicies("Endorsement", FabricPolicies.anyOf(org.mspId(), MSPRoleType.PEER));
            application.putGroups(org.name(), orgGroup.build());
        }
        channel.putGroups(ChannelConfig.APPLICATION_GROUP, application.build());
        standardGroupPolicies(channel);
        return Config.newBuilder().setSequence(0).setChannelGroup(channel).build();
    }

    /**
     * The genesis block of channel {@code channelId}: number 0, no previous hash, one CONFIG
     * envelope (channel header version 1 with a tx id, no creator, no signature) and
     * metadata[SIGNATURES] = {@code Metadata{value = OrdererBlockMetadata{last_config{index 0}}}}.
     */
    public static Block genesisBlock(String channelId, Config config, Clock clock) {
        byte[] nonce = Envelopes.nonce();
        ChannelHeader channelHeader = ChannelHeader.newBuilder()
                .setType(HeaderType.CONFIG_VALUE)
                .setVersion(1)
                .setTimestamp(Timestamp.newBuilder().setSeconds(clock.now().getEpochSecond()))
                .setChannelId(channelId)
                .setTxId(Envelopes.computeTxId(nonce, new byte[0]))
                .build();
        SignatureHeader signatureHeader = SignatureHeader.newBuilder().setNonce(ByteString.copyFrom(nonce)).build();
        Payload payload = Payload.newBuilder()
                .setHeader(Header.newBuilder()
                        .setChannelHeader(channelHeader.toByteString())
                        .setSignatureHeader(signatureHeader.toByteString()))
                .setData(ConfigEnvelope.newBuilder().setConfig(config).build().toByteString())
                .build();
        Envelope envelope = Envelope.newBuilder().setPayload(payload.toByteString()).build();
        Block block = Blocks.newBlock(0, ByteString.EMPTY, List.of(envelope.toByteString()));
        return Blocks.withMetadataSlot(block, BlockMetadataIndex.SIGNATURES, BlockSignatures.genesisMetadata().toByteString());
    }

    private static ConfigGroup.Builder ordererGroup(ConfigtxConfig file, OrdererSpec spec) throws ConfigTxException {
        ConfigGroup.Builder orderer = group()
                .putValues("ConsensusType", value(consensusType(spec)))
                .putValues("BatchSize", value(org.hyperledger.fabric.protos.orderer.BatchSize.newBuilder()
                        .setMaxMessageCount(spec.batchSize().maxMessageCount())
                        .setAbsoluteMaxBytes(spec.batchSize().absoluteMaxBytes())
                        .setPreferredMaxBytes(spec.batchSize().preferredMaxBytes())
                        .build()))
                .putValues("BatchTimeout", value(BatchTimeout.newBuilder()
                        .setTimeout(GoDurations.format(spec.batchTimeout())).build()))
                .putValues("ChannelRestrictions", value(ChannelRestrictions.getDefaultInstance()))
                .putValues("Capabilities", capabilities());
        standardGroupPolicies(orderer);
        orderer.putPolicies("BlockValidation", FabricPolicies.implicitMeta(Rule.ANY, "Writers"));
        for (String key : spec.organizations()) {
            OrganizationSpec org = file.organizations().get(key);
            ConfigGroup.Builder orgGroup = orgGroup(org);
            if (!org.ordererEndpoints().isEmpty()) {
                orgGroup.putValues("Endpoints", addresses(org.ordererEndpoints()));
            }
            orgGroup.putPolicies("Readers", FabricPolicies.anyOf(org.mspId(), MSPRoleType.MEMBER));
            orgGroup.putPolicies("Writers", FabricPolicies.anyOf(org.mspId(), MSPRoleType.MEMBER));
            orgGroup.putPolicies("Admins", FabricPolicies.anyOf(org.mspId(), MSPRoleType.ADMIN));
            orderer.putGroups(org.name(), orgGroup.build());
        }
        return orderer;
    }

    private static ConsensusType consensusType(OrdererSpec spec) throws ConfigTxException {
        ConsensusType.Builder type = ConsensusType.newBuilder().setType(spec.type()).setState(ConsensusType.State.STATE_NORMAL);
        if (!spec.consenters().isEmpty()) {
            ConfigMetadata.Builder metadata = ConfigMetadata.newBuilder().setOptions(Options.newBuilder()
                    .setTickInterval("500ms").setElectionTick(10).setHeartbeatTick(1)
                    .setMaxInflightBlocks(5).setSnapshotIntervalSize(16 * 1024 * 1024));
            for (ConsenterSpec c : spec.consenters()) {
                try {
                    metadata.addConsenters(Consenter.newBuilder()
                            .setHost(c.address().host()).setPort(c.address().port())
                            .setClientTlsCert(ByteString.copyFrom(Files.readAllBytes(c.clientTlsCert())))
                            .setServerTlsCert(ByteString.copyFrom(Files.readAllBytes(c.serverTlsCert()))));
                } catch (IOException e) {
                    throw new ConfigTxException("consenter " + c.address() + ": cannot read TLS certificate: " + e.getMessage(), e);
                }
            }
            type.setMetadata(metadata.build().toByteString());
        }
        return type.build();
    }

    private static ConfigGroup.Builder orgGroup(OrganizationSpec org) throws ConfigTxException {
        MSPConfig msp;
        try {
            msp = MSPConfig.newBuilder().setType(0)
                    .setConfig(OrgMsp.fromFolder(org.mspId(), org.mspDir()).toFabricMspConfig().toByteString())
                    .build();
        } catch (CryptoMaterialException e) {
            String detail = e.getMessage().startsWith(org.mspDir().toString()) ? e.getMessage()
                    : org.mspDir() + ": " + e.getMessage();
            throw new ConfigTxException("organization " + org.key() + " (" + org.mspId() + "): MSPDir " + detail, e);
        }
        return group().putValues("MSP", value(msp));
    }

    private static void standardGroupPolicies(ConfigGroup.Builder group) {
        group.putPolicies("Readers", FabricPolicies.implicitMeta(Rule.ANY, "Readers"));
        group.putPolicies("Writers", FabricPolicies.implicitMeta(Rule.ANY, "Writers"));
        group.putPolicies("Admins", FabricPolicies.implicitMeta(Rule.MAJORITY, "Admins"));
    }

    private static ConfigGroup.Builder group() {
        return ConfigGroup.newBuilder().setModPolicy(FabricPolicies.ADMINS);
    }

    private static ConfigValue capabilities() {
        return value(Capabilities.newBuilder().putCapabilities(CAPABILITY, Capability.getDefaultInstance()).build());
    }

    private static ConfigValue addresses(List<HostPort> addresses) {
        return value(OrdererAddresses.newBuilder().addAllAddresses(addresses.stream().map(HostPort::toString).toList()).build());
    }

    private static ConfigValue value(Message message) {
        return ConfigValue.newBuilder().setModPolicy(FabricPolicies.ADMINS).setValue(message.toByteString()).build();
    }
}
