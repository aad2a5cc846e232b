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
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigPolicy;
import org.hyperledger.fabric.protos.common.ConfigSignature;
import org.hyperledger.fabric.protos.common.ConfigUpdate;
import org.hyperledger.fabric.protos.common.ConfigUpdateEnvelope;
import org.hyperledger.fabric.protos.common.ConfigValue;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.SignatureHeader;

/**
 * Turns a {@code CONFIG_UPDATE} envelope into the signed {@code CONFIG} envelope of the next config,
 * as Fabric's {@code ProposeConfigUpdate} does ({@code common/configtx/update.go}), for the subset of
 * changes this simulator supports.
 *
 * <p>Fabric's rules, with Fabric's messages: every element of the read set must exist at the version
 * it names; the delta set is every element of the write set that the read set does not hold at the
 * same version; it must not be empty, each of its elements needs a well-formed mod_policy and the
 * version current + 1 (an update written without a read set therefore fails on its root group, as
 * in Fabric), and the existing element's mod_policy (relative to its group) must be satisfied by the
 * update's signatures. Of the changes Fabric allows, values only are applied:
 * {@code /Channel/Orderer/BatchSize}, {@code /Channel/Orderer/BatchTimeout},
 * {@code /Channel/Orderer/<org>/Endpoints} and {@code /Channel/OrdererAddresses}; a delta that adds
 * or changes a group or policy, or changes another value, is refused as unsupported. The new config
 * has sequence + 1 and the {@code ConfigEnvelope}'s last_update is the update envelope itself.
 */
final class ConfigUpdates {

    private static final Set<String> SUPPORTED_TOP = Set.of("/Channel/OrdererAddresses",
            "/Channel/Orderer/BatchSize", "/Channel/Orderer/BatchTimeout");
    private static final String GROUP = "[Group]  ";
    private static final String VALUE = "[Value]  ";
    private static final String POLICY = "[Policy] ";
    private static final Pattern CONFIG_ID = Pattern.compile("[a-zA-Z0-9.\\-_]+");

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

    /**
     * One element of a config tree, by Fabric's key ({@code [Value]  /Channel/Orderer/BatchSize}):
     * {@code groupPath} is the group its relative mod_policy is resolved in (its own path for a group).
     */
    private record Element(String key, String groupPath, String name, long version, String modPolicy, ConfigValue value) {

        boolean isValue() {
            return key.startsWith(VALUE);
        }

        String path() {
            return key.substring(GROUP.length());
        }
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
            throw new ConfigUpdateException("ConfigUpdate for channel '" + configUpdate.getChannelId()
                    + "' but envelope for channel '" + chain.channelId() + "'");
        }
        Config current = chain.config().config();
        Map<String, Element> existing = flatten(current.getChannelGroup());
        Map<String, Element> readSet = flatten(configUpdate.getReadSet());
        for (Element read : readSet.values()) {
            Element now = existing.get(read.key());
            if (now == null) {
                throw new ConfigUpdateException("error validating ReadSet: existing config does not contain element for "
                        + read.key() + " but was in the read set");
            }
            if (now.version() != read.version()) {
                throw new ConfigUpdateException("error validating ReadSet: proposed update requires that key " + read.key()
                        + " be at version " + read.version() + ", but it is currently at version " + now.version());
            }
        }
        List<Element> delta = new ArrayList<>();
        for (Element written : flatten(configUpdate.getWriteSet()).values()) {
            Element read = readSet.get(written.key());
            if (read == null || read.version() != written.version()) {
                delta.add(written);
            }
        }
        verifyDelta(chain, delta, existing, signatures(updateEnvelope));
        Config next = Config.newBuilder().setSequence(current.getSequence() + 1)
                .setChannelGroup(apply(current.getChannelGroup(), "/Channel", delta)).build();
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

    /** Fabric's {@code verifyDeltaSet}, then this simulator's limit to the values it can apply. */
    private static void verifyDelta(Chain chain, List<Element> delta, Map<String, Element> existing,
            List<SignedData> signatures) throws ConfigUpdateException {
        if (delta.isEmpty()) {
            throw new ConfigUpdateException("error validating DeltaSet: delta set was empty -- update would have no effect");
        }
        for (Element changed : delta) {
            String modPolicyProblem = modPolicyProblem(changed.modPolicy());
            if (modPolicyProblem != null) {
                throw new ConfigUpdateException("error validating DeltaSet: invalid mod_policy for element " + changed.key()
                        + ": " + modPolicyProblem);
            }
            Element now = existing.get(changed.key());
            if (now == null) {
                if (changed.version() != 0) {
                    throw new ConfigUpdateException("error validating DeltaSet: attempted to set key " + changed.key()
                            + " to version " + changed.version() + ", but key does not exist");
                }
                throw new ConfigUpdateException(changed.key() + ": adding elements is not supported");
            }
            if (changed.version() != now.version() + 1) {
                throw new ConfigUpdateException("error validating DeltaSet: attempt to set key " + changed.key()
                        + " to version " + changed.version() + ", but key is at version " + now.version());
            }
            String policy = now.modPolicy().startsWith("/") ? now.modPolicy() : now.groupPath() + "/" + now.modPolicy();
            try {
                chain.checkPolicy(policy, signatures);
            } catch (PolicyEvaluationException e) {
                throw new ConfigUpdateException("error validating DeltaSet: policy for " + changed.key()
                        + " not satisfied: " + policy + ": " + e.getMessage());
            }
            if (!changed.isValue() || !isSupported(changed.path())) {
                throw new ConfigUpdateException(changed.key() + ": changing it is not supported (supported: values "
                        + "/Channel/Orderer/BatchSize, /Channel/Orderer/BatchTimeout, /Channel/Orderer/<org>/Endpoints, "
                        + "/Channel/OrdererAddresses)");
            }
        }
    }

    /** Fabric's {@code validateModPolicy}: set, and every path element a valid config ID; null when valid. */
    private static String modPolicyProblem(String modPolicy) {
        if (modPolicy.isEmpty()) {
            return "mod_policy not set";
        }
        String[] parts = (modPolicy.startsWith("/") ? modPolicy.substring(1) : modPolicy).split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            String id = parts[i];
            if (id.isEmpty() || id.length() > 249 || id.equals(".") || id.equals("..") || !CONFIG_ID.matcher(id).matches()) {
                return "path element at " + i + " is invalid: '" + id + "' is not a valid config ID";
            }
        }
        return null;
    }

    /** Every group, value and policy of the tree under {@code root} (the {@code Channel} group), by Fabric's key. */
    private static Map<String, Element> flatten(ConfigGroup root) {
        Map<String, Element> out = new TreeMap<>();
        flatten("/Channel", "Channel", root, out);
        return out;
    }

    private static void flatten(String path, String name, ConfigGroup group, Map<String, Element> out) {
        out.put(GROUP + path, new Element(GROUP + path, path, name, group.getVersion(), group.getModPolicy(), null));
        for (Map.Entry<String, ConfigValue> v : group.getValuesMap().entrySet()) {
            String key = VALUE + path + "/" + v.getKey();
            out.put(key, new Element(key, path, v.getKey(), v.getValue().getVersion(), v.getValue().getModPolicy(), v.getValue()));
        }
        for (Map.Entry<String, ConfigPolicy> p : group.getPoliciesMap().entrySet()) {
            String key = POLICY + path + "/" + p.getKey();
            out.put(key, new Element(key, path, p.getKey(), p.getValue().getVersion(), p.getValue().getModPolicy(), null));
        }
        for (Map.Entry<String, ConfigGroup> g : group.getGroupsMap().entrySet()) {
            flatten(path + "/" + g.getKey(), g.getKey(), g.getValue(), out);
        }
    }

    /** {@code current} with the changed values of {@code delta} (all values, checked above) put in place. */
    private static ConfigGroup apply(ConfigGroup current, String path, List<Element> delta) {
        ConfigGroup.Builder result = current.toBuilder();
        for (Element changed : delta) {
            if (changed.groupPath().equals(path)) {
                result.putValues(changed.name(), changed.value());
            }
        }
        for (Map.Entry<String, ConfigGroup> g : current.getGroupsMap().entrySet()) {
            result.putGroups(g.getKey(), apply(g.getValue(), path + "/" + g.getKey(), delta));
        }
        return result.build();
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

    private static boolean isSupported(String valuePath) {
        if (SUPPORTED_TOP.contains(valuePath)) {
            return true;
        }
        String[] parts = valuePath.split("/");
        return parts.length == 5 && parts[2].equals("Orderer") && parts[4].equals("Endpoints");
    }
}
