package io.fabsim.common.verify;

import com.google.protobuf.InvalidProtocolBufferException;
import io.fabsim.common.configtx.ChannelConfig;
import io.fabsim.common.protoutil.SignedData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;

/**
 * Fabric's configtx validator ({@code common/configtx}): what a config update may change, and whether
 * a config transaction follows from its {@code last_update}. The orderer proposes the next config from
 * an update ({@link #propose}); a peer checks a committed config against the update that made it
 * ({@link #validate}), as Fabric's {@code Validate} does before a config block is applied.
 *
 * <p>The rules, with Fabric's messages: every element of the read set exists at the version it names;
 * the delta set is every element of the write set that the read set does not hold at the same
 * version, and is not empty; each delta element has a well-formed mod_policy and either version
 * current + 1 or, when new, version 0; the existing element's mod_policy (relative to its group)
 * is satisfied by the update's signatures. The next config is the current one with the delta laid
 * over it, element by element, each group taking its member names from its newest version.
 */
public final class ConfigUpdateValidator {

    private static final String GROUP = "[Group]  ";
    private static final String VALUE = "[Value]  ";
    private static final String POLICY = "[Policy] ";
    private static final String ROOT = "/Channel";
    private static final Pattern CONFIG_ID = Pattern.compile("[a-zA-Z0-9.\\-_]+");

    private ConfigUpdateValidator() {
    }

    /** An update Fabric would refuse; the message is Fabric's. */
    public static final class RejectedException extends Exception {
        RejectedException(String message) {
            super(message);
        }
    }

    /**
     * One element of a config tree, by Fabric's key ({@code [Value]  /Channel/Orderer/BatchSize}).
     *
     * @param groupPath the group a relative mod_policy is resolved in (a group's own path)
     * @param item      the {@link ConfigGroup}, {@link ConfigValue} or {@link ConfigPolicy}
     */
    public record Element(String key, String groupPath, long version, String modPolicy, Object item) {

        public boolean isValue() {
            return key.startsWith(VALUE);
        }

        /** The element's path without its kind, {@code /Channel/Orderer/BatchSize}. */
        public String path() {
            return key.substring(GROUP.length());
        }
    }

    /** The next config (sequence + 1) and the elements the update changes, in key order. */
    public record Proposal(Config next, List<Element> delta) {
    }

    /** Fabric's {@code ProposeConfigUpdate}: the config {@code update} makes of {@code current}. */
    public static Proposal propose(ChannelConfig current, ConfigUpdateEnvelope update) throws RejectedException {
        ConfigUpdate configUpdate;
        try {
            configUpdate = ConfigUpdate.parseFrom(update.getConfigUpdate());
        } catch (InvalidProtocolBufferException e) {
            throw new RejectedException("error unmarshalling ConfigUpdate: " + e.getMessage());
        }
        if (!configUpdate.getChannelId().equals(current.channelId())) {
            throw new RejectedException("ConfigUpdate for channel '" + configUpdate.getChannelId()
                    + "' but envelope for channel '" + current.channelId() + "'");
        }
        Map<String, Element> existing = flatten(current.config().getChannelGroup());
        Map<String, Element> readSet = flatten(configUpdate.getReadSet());
        for (Element read : readSet.values()) {
            Element now = existing.get(read.key());
            if (now == null) {
                throw new RejectedException("error validating ReadSet: existing config does not contain element for "
                        + read.key() + " but was in the read set");
            }
            if (now.version() != read.version()) {
                throw new RejectedException("error validating ReadSet: proposed update requires that key " + read.key()
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
        verifyDelta(current, delta, existing, signatures(update));
        Map<String, Element> proposed = new TreeMap<>(existing);
        delta.forEach(e -> proposed.put(e.key(), e));
        ConfigGroup channelGroup = rebuild(ROOT, proposed);
        return new Proposal(Config.newBuilder().setSequence(current.sequence() + 1).setChannelGroup(channelGroup).build(),
                List.copyOf(delta));
    }

    /**
     * Fabric's {@code Validate}: {@code envelope} carries the next sequence and the very config its
     * {@code last_update} makes of {@code current}.
     */
    public static void validate(ChannelConfig current, ConfigEnvelope envelope) throws RejectedException {
        long sequence = envelope.getConfig().getSequence();
        if (sequence != current.sequence() + 1) {
            throw new RejectedException("config currently at sequence " + current.sequence()
                    + ", cannot validate config at sequence " + sequence);
        }
        ConfigUpdateEnvelope update;
        try {
            Envelope last = envelope.getLastUpdate();
            update = ConfigUpdateEnvelope.parseFrom(Payload.parseFrom(last.getPayload()).getData());
        } catch (InvalidProtocolBufferException e) {
            throw new RejectedException("error unmarshalling the last update: " + e.getMessage());
        }
        Proposal proposal = propose(current, update);
        if (!proposal.next().getChannelGroup().equals(envelope.getConfig().getChannelGroup())) {
            throw new RejectedException("ConfigEnvelope LastUpdate did not produce the supplied config result");
        }
    }

    private static void verifyDelta(ChannelConfig current, List<Element> delta, Map<String, Element> existing,
            List<SignedData> signatures) throws RejectedException {
        if (delta.isEmpty()) {
            throw new RejectedException("error validating DeltaSet: delta set was empty -- update would have no effect");
        }
        PolicyEvaluator policies = PolicyEvaluator.forConfig(current);
        for (Element changed : delta) {
            String problem = modPolicyProblem(changed.modPolicy());
            if (problem != null) {
                throw new RejectedException("error validating DeltaSet: invalid mod_policy for element " + changed.key()
                        + ": " + problem);
            }
            Element now = existing.get(changed.key());
            if (now == null) {
                if (changed.version() != 0) {
                    throw new RejectedException("error validating DeltaSet: attempted to set key " + changed.key()
                            + " to version " + changed.version() + ", but key does not exist");
                }
                continue;
            }
            if (changed.version() != now.version() + 1) {
                throw new RejectedException("error validating DeltaSet: attempt to set key " + changed.key()
                        + " to version " + changed.version() + ", but key is at version " + now.version());
            }
            String policy = now.modPolicy().startsWith("/") ? now.modPolicy() : now.groupPath() + "/" + now.modPolicy();
            try {
                policies.evaluate(policy, signatures);
            } catch (PolicyEvaluationException e) {
                throw new RejectedException("error validating DeltaSet: policy for " + changed.key() + " not satisfied: "
                        + policy + ": " + e.getMessage());
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

    /** Fabric's ConfigSignature as signed data: signature_header || config_update, by the header's creator. */
    private static List<SignedData> signatures(ConfigUpdateEnvelope envelope) throws RejectedException {
        List<SignedData> signatures = new ArrayList<>();
        for (ConfigSignature signature : envelope.getSignaturesList()) {
            try {
                SignatureHeader header = SignatureHeader.parseFrom(signature.getSignatureHeader());
                signatures.add(new SignedData(header.getCreator(),
                        signature.getSignatureHeader().concat(envelope.getConfigUpdate()), signature.getSignature()));
            } catch (InvalidProtocolBufferException e) {
                throw new RejectedException("unparseable config signature header: " + e.getMessage());
            }
        }
        return signatures;
    }

    /** Every group, value and policy under {@code root} (the {@code Channel} group), by Fabric's key. */
    private static Map<String, Element> flatten(ConfigGroup root) {
        Map<String, Element> out = new TreeMap<>();
        flatten(ROOT, root, out);
        return out;
    }

    private static void flatten(String path, ConfigGroup group, Map<String, Element> out) {
        out.put(GROUP + path, new Element(GROUP + path, path, group.getVersion(), group.getModPolicy(), group));
        for (Map.Entry<String, ConfigValue> v : group.getValuesMap().entrySet()) {
            String key = VALUE + path + "/" + v.getKey();
            out.put(key, new Element(key, path, v.getValue().getVersion(), v.getValue().getModPolicy(), v.getValue()));
        }
        for (Map.Entry<String, ConfigPolicy> p : group.getPoliciesMap().entrySet()) {
            String key = POLICY + path + "/" + p.getKey();
            out.put(key, new Element(key, path, p.getValue().getVersion(), p.getValue().getModPolicy(), p.getValue()));
        }
        for (Map.Entry<String, ConfigGroup> g : group.getGroupsMap().entrySet()) {
            flatten(path + "/" + g.getKey(), g.getValue(), out);
        }
    }

    /** Fabric's {@code configMapToConfig}: the tree at {@code path}, each member taken from {@code map}. */
    private static ConfigGroup rebuild(String path, Map<String, Element> map) throws RejectedException {
        ConfigGroup source = (ConfigGroup) element(map, GROUP + path, "group").item();
        ConfigGroup.Builder group = ConfigGroup.newBuilder().setVersion(source.getVersion()).setModPolicy(source.getModPolicy());
        for (String name : source.getGroupsMap().keySet()) {
            group.putGroups(name, rebuild(path + "/" + name, map));
        }
        for (String name : source.getValuesMap().keySet()) {
            group.putValues(name, (ConfigValue) element(map, VALUE + path + "/" + name, "value").item());
        }
        for (String name : source.getPoliciesMap().keySet()) {
            group.putPolicies(name, (ConfigPolicy) element(map, POLICY + path + "/" + name, "policy").item());
        }
        return group.build();
    }

    private static Element element(Map<String, Element> map, String key, String kind) throws RejectedException {
        Element e = map.get(key);
        if (e == null) {
            throw new RejectedException("full config did not verify: missing " + kind + " " + key.substring(GROUP.length()));
        }
        return e;
    }
}
