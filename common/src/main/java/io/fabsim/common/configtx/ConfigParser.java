package io.fabsim.common.configtx;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.fabsim.common.config.HostPort;
import io.fabsim.common.time.GoDurations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.hyperledger.fabric.protos.common.Capabilities;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigPolicy;
import org.hyperledger.fabric.protos.common.ConfigValue;
import org.hyperledger.fabric.protos.common.ImplicitMetaPolicy;
import org.hyperledger.fabric.protos.common.OrdererAddresses;
import org.hyperledger.fabric.protos.common.Policy;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;
import org.hyperledger.fabric.protos.msp.FabricMSPConfig;
import org.hyperledger.fabric.protos.msp.MSPConfig;
import org.hyperledger.fabric.protos.orderer.BatchTimeout;
import org.hyperledger.fabric.protos.orderer.ConsensusType;

/** Reads the groups and values of {@code /Channel} into typed parts (Fabric's value and group names). */
final class ConfigParser {

    static final String APPLICATION = ChannelConfig.APPLICATION_GROUP;
    static final String ORDERER = ChannelConfig.ORDERER_GROUP;

    private ConfigParser() {
    }

    static ParsedGroups parse(ConfigGroup channel) throws ConfigTxException {
        String root = "/Channel";
        ConfigGroup application = channel.getGroupsOrDefault(APPLICATION, ConfigGroup.getDefaultInstance());
        if (!channel.containsGroups(ORDERER)) {
            throw new ConfigTxException(root + "/Orderer: missing (a channel config needs an Orderer group)");
        }
        ConfigGroup orderer = channel.getGroupsOrThrow(ORDERER);
        List<HostPort> global = channel.containsValues("OrdererAddresses")
                ? addresses(root + "/OrdererAddresses", channel.getValuesOrThrow("OrdererAddresses"))
                : List.of();
        return new ParsedGroups(
                orgs(root + "/Application", application, false),
                orgs(root + "/Orderer", orderer, true),
                global,
                ordererSettings(root + "/Orderer", orderer),
                capabilities(root, channel),
                capabilities(root + "/Application", application),
                policies(root, channel));
    }

    private static List<OrgConfig> orgs(String path, ConfigGroup group, boolean orderer) throws ConfigTxException {
        List<OrgConfig> orgs = new ArrayList<>();
        for (Map.Entry<String, ConfigGroup> e : new TreeMap<>(group.getGroupsMap()).entrySet()) {
            String orgPath = path + "/" + e.getKey();
            ConfigGroup org = e.getValue();
            if (!org.containsValues("MSP")) {
                throw new ConfigTxException(orgPath + "/MSP: missing (every org needs its MSP config)");
            }
            FabricMSPConfig msp = msp(orgPath + "/MSP", org.getValuesOrThrow("MSP"));
            List<HostPort> endpoints = orderer && org.containsValues("Endpoints")
                    ? addresses(orgPath + "/Endpoints", org.getValuesOrThrow("Endpoints"))
                    : List.of();
            orgs.add(new OrgConfig(e.getKey(), msp.getName(), msp, endpoints, policies(orgPath, org)));
        }
        return orgs;
    }

    private static FabricMSPConfig msp(String path, ConfigValue value) throws ConfigTxException {
        MSPConfig config = unmarshal(path, value.getValue(), MSPConfig.parser(), "msp.MSPConfig");
        if (config.getType() != 0) {
            throw new ConfigTxException(path + ": expected MSP type 0 (FABRIC), got " + config.getType());
        }
        FabricMSPConfig msp = unmarshal(path, config.getConfig(), FabricMSPConfig.parser(), "msp.FabricMSPConfig");
        if (msp.getName().isEmpty()) {
            throw new ConfigTxException(path + ": FabricMSPConfig has no name (MSP id)");
        }
        return msp;
    }

    private static List<HostPort> addresses(String path, ConfigValue value) throws ConfigTxException {
        OrdererAddresses addresses = unmarshal(path, value.getValue(), OrdererAddresses.parser(), "common.OrdererAddresses");
        List<HostPort> out = new ArrayList<>();
        for (String address : addresses.getAddressesList()) {
            try {
                out.add(HostPort.parse(address));
            } catch (IllegalArgumentException ex) {
                throw new ConfigTxException(path + ": expected host:port, got \"" + address + "\"", ex);
            }
        }
        return out;
    }

    private static OrdererSettings ordererSettings(String path, ConfigGroup orderer) throws ConfigTxException {
        var batch = unmarshal(path + "/BatchSize", required(path, orderer, "BatchSize"),
                org.hyperledger.fabric.protos.orderer.BatchSize.parser(), "orderer.BatchSize");
        BatchTimeout timeout = unmarshal(path + "/BatchTimeout", required(path, orderer, "BatchTimeout"),
                BatchTimeout.parser(), "orderer.BatchTimeout");
        Duration batchTimeout;
        try {
            batchTimeout = GoDurations.parse(timeout.getTimeout());
        } catch (IllegalArgumentException e) {
            throw new ConfigTxException(path + "/BatchTimeout: " + e.getMessage(), e);
        }
        ConsensusType consensus = unmarshal(path + "/ConsensusType", required(path, orderer, "ConsensusType"),
                ConsensusType.parser(), "orderer.ConsensusType");
        return new OrdererSettings(
                new BatchSize(batch.getMaxMessageCount(), batch.getAbsoluteMaxBytes(), batch.getPreferredMaxBytes()),
                batchTimeout, consensus.getType(), consensus.getMetadata(), capabilities(path, orderer));
    }

    private static ByteString required(String path, ConfigGroup group, String key) throws ConfigTxException {
        if (!group.containsValues(key)) {
            throw new ConfigTxException(path + "/" + key + ": missing");
        }
        return group.getValuesOrThrow(key).getValue();
    }

    private static Set<String> capabilities(String path, ConfigGroup group) throws ConfigTxException {
        if (!group.containsValues("Capabilities")) {
            return Set.of();
        }
        Capabilities caps = unmarshal(path + "/Capabilities", group.getValuesOrThrow("Capabilities").getValue(),
                Capabilities.parser(), "common.Capabilities");
        return caps.getCapabilitiesMap().keySet();
    }

    static PolicyGroup policies(String path, ConfigGroup group) throws ConfigTxException {
        Map<String, PolicyRule> policies = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigPolicy> e : new TreeMap<>(group.getPoliciesMap()).entrySet()) {
            policies.put(e.getKey(), rule(path + "/" + e.getKey(), e.getValue().getPolicy()));
        }
        Map<String, PolicyGroup> groups = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigGroup> e : new TreeMap<>(group.getGroupsMap()).entrySet()) {
            groups.put(e.getKey(), policies(path + "/" + e.getKey(), e.getValue()));
        }
        return new PolicyGroup(path, policies, groups);
    }

    private static PolicyRule rule(String path, Policy policy) throws ConfigTxException {
        return switch (policy.getType()) {
            case Policy.PolicyType.SIGNATURE_VALUE -> new PolicyRule.Signature(
                    unmarshal(path, policy.getValue(), SignaturePolicyEnvelope.parser(), "common.SignaturePolicyEnvelope"));
            case Policy.PolicyType.IMPLICIT_META_VALUE -> {
                ImplicitMetaPolicy meta = unmarshal(path, policy.getValue(), ImplicitMetaPolicy.parser(),
                        "common.ImplicitMetaPolicy");
                yield new PolicyRule.ImplicitMeta(meta.getSubPolicy(), meta.getRule());
            }
            default -> new PolicyRule.Unsupported(policy.getType());
        };
    }

    private static <T extends Message> T unmarshal(String path, ByteString bytes, Parser<T> parser, String type)
            throws ConfigTxException {
        try {
            return parser.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new ConfigTxException(path + ": not a " + type + ": " + e.getMessage(), e);
        }
    }
}
