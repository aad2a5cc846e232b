package io.fabsim.orderer.chain;

import com.google.protobuf.InvalidProtocolBufferException;
import io.fabsim.common.configtx.ChannelConfig;
import io.fabsim.common.configtx.ConfigTxException;
import io.fabsim.common.crypto.Signer;
import io.fabsim.common.protoutil.EnvelopeSpec;
import io.fabsim.common.protoutil.Envelopes;
import io.fabsim.common.protoutil.ParsedEnvelope;
import io.fabsim.common.protoutil.SignedData;
import io.fabsim.common.time.Clock;
import io.fabsim.common.verify.PolicyEvaluationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigSignature;
import org.hyperledger.fabric.protos.common.ConfigUpdate;
import org.hyperledger.fabric.protos.common.ConfigUpdateEnvelope;
import org.hyperledger.fabric.protos.common.ConfigValue;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.SignatureHeader;

/**
 * Turns a {@code CONFIG_UPDATE} envelope into the signed {@code CONFIG} envelope of the next config,
 * as Fabric's {@code ProposeConfigUpdate} does for the subset of changes this simulator supports.
 *
 * <p>The update's write set is read as Fabric's {@code configtxlator compute_update} writes it:
 * an element at its current version is unchanged, an element at its current version + 1 is
 * modified. Supported modifications are values only:
 * {@code /Channel/Orderer/BatchSize}, {@code /Channel/Orderer/BatchTimeout},
 * {@code /Channel/Orderer/<org>/Endpoints} and {@code /Channel/OrdererAddresses}. Adding or removing
 * groups, values or policies, or changing any other element, is refused. Each modified value must
 * be authorized by its current mod_policy (e.g. {@code Admins} in {@code /Channel/Orderer} means
 * {@code /Channel/Orderer/Admins}) over the update's signatures. The new config has sequence + 1
 * and the {@code ConfigEnvelope}'s last_update is the update envelope itself.
 */
final class ConfigUpdates {

    private static final Set<String> SUPPORTED_TOP = Set.of("/Channel/OrdererAddresses",
            "/Channel/Orderer/BatchSize", "/Channel/Orderer/BatchTimeout");

    private ConfigUpdates() {
    }

    /** The next config and its CONFIG envelope, signed by the orderer. */
    record Result(ChannelConfig newConfig, Envelope configEnvelope) {
    }

    /** A config update that is malformed, unsupported or unauthorized. */
    static final class ConfigUpdateException extends Exception {
        ConfigUpdateException(String message) {
            super(message);
        }
    }

    private record Modified(String path, String groupPath, String modPolicy) {
    }

    static Result propose(Chain chain, ParsedEnvelope update, Signer signer, Clock clock) throws ConfigUpdateException {
        ConfigUpdateEnvelope updateEnvelope;
        ConfigUpdate configUpdate;
        try {
            updateEnvelope = ConfigUpdateEnvelope.parseFrom(update.payload().getData());
            configUpdate = ConfigUpdate.parseFrom(updateEnvelope.getConfigUpdate());
        } catch (InvalidProtocolBufferException e) {
            throw new ConfigUpdateException("unparseable ConfigUpdateEnvelope: " + e.getMessage());
        }
        if (!configUpdate.getChannelId().equals(chain.channelId())) {
            throw new ConfigUpdateException("update is for channel " + configUpdate.getChannelId());
        }
        Config current = chain.config().config();
        List<Modified> modified = new ArrayList<>();
        ConfigGroup merged = overlay("/Channel", current.getChannelGroup(), configUpdate.getWriteSet(), modified);
        if (modified.isEmpty()) {
            throw new ConfigUpdateException("the update changes nothing");
        }
        List<SignedData> signatures = signatures(updateEnvelope);
        for (Modified m : modified) {
            String policy = m.modPolicy().startsWith("/") ? m.modPolicy() : m.groupPath() + "/" + m.modPolicy();
            try {
                chain.checkPolicy(policy, signatures);
            } catch (PolicyEvaluationException e) {
                throw new ConfigUpdateException("policy " + policy + " for [Value] " + m.path() + " not satisfied: " + e.getMessage());
            }
        }
        Config next = Config.newBuilder().setSequence(current.getSequence() + 1).setChannelGroup(merged).build();
        ChannelConfig newConfig;
        try {
            newConfig = ChannelConfig.fromConfig(chain.channelId(), next);
        } catch (ConfigTxException e) {
            throw new ConfigUpdateException("the updated config is invalid: " + e.getMessage());
        }
        ConfigEnvelope configEnvelope = ConfigEnvelope.newBuilder().setConfig(next).setLastUpdate(update.envelope()).build();
        Envelope signed = Envelopes.createSigned(
                EnvelopeSpec.of(HeaderType.CONFIG, chain.channelId(), configEnvelope.toByteString()), signer, clock);
        return new Result(newConfig, signed);
    }

    /** Fabric's ConfigSignature as signed data: signature_header || config_update, by the header's creator. */
    private static List<SignedData> signatures(ConfigUpdateEnvelope envelope) throws ConfigUpdateException {
        List<SignedData> signatures = new ArrayList<>();
        for (ConfigSignature signature : envelope.getSignaturesList()) {
            try {
                SignatureHeader header = SignatureHeader.parseFrom(signature.getSignatureHeader());
                signatures.add(new SignedData(header.getCreator(),
                        signature.getSignatureHeader().concat(envelope.getConfigUpdate()), signature.getSignature()));
            } catch (InvalidProtocolBufferException e) {
                throw new ConfigUpdateException("unparseable config signature header: " + e.getMessage());
            }
        }
        return signatures;
    }

    private static ConfigGroup overlay(String path, ConfigGroup current, ConfigGroup write, List<Modified> modified)
            throws ConfigUpdateException {
        if (write.getVersion() != current.getVersion()) {
            throw new ConfigUpdateException("group " + path + ": changing a group's members is not supported (version "
                    + write.getVersion() + ", current " + current.getVersion() + ")");
        }
        for (var policy : write.getPoliciesMap().entrySet()) {
            var existing = current.getPoliciesMap().get(policy.getKey());
            if (existing == null || existing.getVersion() != policy.getValue().getVersion()) {
                throw new ConfigUpdateException("policy " + path + "/" + policy.getKey() + ": changing policies is not supported");
            }
        }
        ConfigGroup.Builder result = current.toBuilder();
        for (Map.Entry<String, ConfigValue> entry : write.getValuesMap().entrySet()) {
            String valuePath = path + "/" + entry.getKey();
            ConfigValue existing = current.getValuesMap().get(entry.getKey());
            ConfigValue proposed = entry.getValue();
            if (existing == null) {
                throw new ConfigUpdateException("value " + valuePath + ": adding values is not supported");
            }
            if (proposed.getVersion() == existing.getVersion()) {
                continue;
            }
            if (proposed.getVersion() != existing.getVersion() + 1) {
                throw new ConfigUpdateException("value " + valuePath + ": version " + proposed.getVersion()
                        + " is not the current version " + existing.getVersion() + " + 1");
            }
            if (!isSupported(valuePath)) {
                throw new ConfigUpdateException("value " + valuePath + ": changing it is not supported (supported: "
                        + "/Channel/Orderer/BatchSize, /Channel/Orderer/BatchTimeout, /Channel/Orderer/<org>/Endpoints, "
                        + "/Channel/OrdererAddresses)");
            }
            modified.add(new Modified(valuePath, path, existing.getModPolicy()));
            result.putValues(entry.getKey(), proposed);
        }
        for (Map.Entry<String, ConfigGroup> entry : write.getGroupsMap().entrySet()) {
            ConfigGroup existing = current.getGroupsMap().get(entry.getKey());
            if (existing == null) {
                throw new ConfigUpdateException("group " + path + "/" + entry.getKey() + ": adding groups is not supported");
            }
            result.putGroups(entry.getKey(), overlay(path + "/" + entry.getKey(), existing, entry.getValue(), modified));
        }
        return result.build();
    }

    private static boolean isSupported(String valuePath) {
        if (SUPPORTED_TOP.contains(valuePath)) {
            return true;
        }
        String[] parts = valuePath.split("/");
        return parts.length == 5 && parts[2].equals("Orderer") && parts[4].equals("Endpoints");
    }
}
