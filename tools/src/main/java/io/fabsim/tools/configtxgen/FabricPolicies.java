package io.fabsim.tools.configtxgen;

import org.hyperledger.fabric.protos.common.ConfigPolicy;
import org.hyperledger.fabric.protos.common.ImplicitMetaPolicy;
import org.hyperledger.fabric.protos.common.MSPPrincipal;
import org.hyperledger.fabric.protos.common.MSPRole.MSPRoleType;
import org.hyperledger.fabric.protos.common.MSPRole;
import org.hyperledger.fabric.protos.common.Policy;
import org.hyperledger.fabric.protos.common.SignaturePolicy;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;

/** Builders for the policies configtxgen writes, in Fabric's wire form, each with mod_policy {@code Admins}. */
public final class FabricPolicies {

    public static final String ADMINS = "Admins";

    private FabricPolicies() {
    }

    /** {@code ANY|ALL|MAJORITY subPolicy} as an {@code ImplicitMetaPolicy} (type 3). */
    public static ConfigPolicy implicitMeta(ImplicitMetaPolicy.Rule rule, String subPolicy) {
        ImplicitMetaPolicy meta = ImplicitMetaPolicy.newBuilder().setRule(rule).setSubPolicy(subPolicy).build();
        return wrap(Policy.PolicyType.IMPLICIT_META, meta.toByteString());
    }

    /**
     * {@code OR('msp.role1', 'msp.role2', ...)} as a {@code SignaturePolicyEnvelope} (type 1):
     * NOutOf(1, [SignedBy(0), SignedBy(1), ...]) over ROLE principals, as Fabric's policy DSL compiles it.
     */
    public static ConfigPolicy anyOf(String mspId, MSPRoleType... roles) {
        SignaturePolicy.NOutOf.Builder rule = SignaturePolicy.NOutOf.newBuilder().setN(1);
        SignaturePolicyEnvelope.Builder envelope = SignaturePolicyEnvelope.newBuilder().setVersion(0);
        for (int i = 0; i < roles.length; i++) {
            rule.addRules(SignaturePolicy.newBuilder().setSignedBy(i));
            envelope.addIdentities(MSPPrincipal.newBuilder()
                    .setPrincipalClassification(MSPPrincipal.Classification.ROLE)
                    .setPrincipal(MSPRole.newBuilder().setMspIdentifier(mspId).setRole(roles[i]).build().toByteString()));
        }
        envelope.setRule(SignaturePolicy.newBuilder().setNOutOf(rule));
        return wrap(Policy.PolicyType.SIGNATURE, envelope.build().toByteString());
    }

    private static ConfigPolicy wrap(Policy.PolicyType type, com.google.protobuf.ByteString value) {
        return ConfigPolicy.newBuilder()
                .setModPolicy(ADMINS)
                .setPolicy(Policy.newBuilder().setType(type.getNumber()).setValue(value))
                .build();
    }
}
