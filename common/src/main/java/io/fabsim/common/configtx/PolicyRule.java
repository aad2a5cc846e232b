package io.fabsim.common.configtx;

import org.hyperledger.fabric.protos.common.ImplicitMetaPolicy;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;

/** A parsed {@code common.Policy}: implicit-meta over sub-groups, or a signature policy. */
public sealed interface PolicyRule {

    /** {@code ANY|ALL|MAJORITY <subPolicy>} over the policy of that name in each sub-group. */
    record ImplicitMeta(String subPolicy, ImplicitMetaPolicy.Rule rule) implements PolicyRule {
        @Override
        public String toString() {
            return rule + " " + subPolicy;
        }
    }

    /** A {@code SignaturePolicyEnvelope} (NOutOf / SignedBy over MSP principals). */
    record Signature(SignaturePolicyEnvelope envelope) implements PolicyRule {
    }

    /** A policy type fabsim does not evaluate (e.g. {@code MSP}); it is never satisfied. */
    record Unsupported(int type) implements PolicyRule {
    }
}
