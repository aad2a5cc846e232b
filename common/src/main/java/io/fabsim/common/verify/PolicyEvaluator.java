package io.fabsim.common.verify;

import com.google.protobuf.ByteString;
import io.fabsim.common.configtx.ChannelConfig;
import io.fabsim.common.configtx.PolicyGroup;
import io.fabsim.common.configtx.PolicyRule;
import io.fabsim.common.crypto.SignatureVerificationException;
import io.fabsim.common.protoutil.SignedData;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates a channel's policies over signed data, as Fabric's policy manager does.
 *
 * <p>First the signature set becomes a list of valid signers (Fabric's
 * {@code SignatureSetToValidIdentities}): each identity is validated, a repeated identity is
 * skipped before its signature is checked, and an invalid identity or signature is dropped. Then
 * the policy is evaluated over those signers: {@code ImplicitMetaPolicy} counts the sub-groups
 * whose policy of that name is satisfied (ANY needs 1, ALL all, MAJORITY more than half; none when
 * there are no sub-groups); a {@code SignaturePolicyEnvelope} is evaluated as Fabric's
 * {@code cauthdsl}, each signer used at most once per satisfied branch. Signatures are checked
 * once per evaluation, not once per sub-policy.
 */
public final class PolicyEvaluator {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyEvaluator.class);

    private final PolicyGroup root;
    private final SignerValidator validator;

    /** @param root the policy tree rooted at {@code /Channel} */
    public PolicyEvaluator(PolicyGroup root, SignerValidator validator) {
        this.root = root;
        this.validator = validator;
    }

    /**
     * An evaluator over a channel's policies and MSPs, e.g. for the orderer's Deliver check
     * {@code evaluate("/Channel/Readers", List.of(parsedEnvelope.signedData()))}.
     */
    public static PolicyEvaluator forConfig(ChannelConfig config) {
        return new PolicyEvaluator(config.policies(), new MspSignerValidator(config.mspVerifier()));
    }

    /**
     * Evaluates the policy at {@code path} (e.g. {@code /Channel/Orderer/BlockValidation}).
     *
     * @throws PolicyEvaluationException with Fabric's message when the policy is not satisfied
     */
    public void evaluate(String path, List<SignedData> signedData) throws PolicyEvaluationException {
        String[] parts = path.split("/");
        if (parts.length < 3 || !parts[1].equals("Channel")) {
            throw new PolicyEvaluationException("policy " + path + ": expected a path under /Channel");
        }
        PolicyGroup group = root;
        for (int i = 2; i < parts.length - 1; i++) {
            group = group.groups().get(parts[i]);
            if (group == null) {
                throw new PolicyEvaluationException("policy " + path + " not found: no group " + parts[i]);
            }
        }
        PolicyRule rule = group.policies().get(parts[parts.length - 1]);
        if (rule == null) {
            throw new PolicyEvaluationException("policy " + path + " not found");
        }
        evaluate(group, rule, validSigners(signedData));
    }

    /** Fabric's {@code SignatureSetToValidIdentities}: validated, de-duplicated signers. */
    public List<ValidSigner> validSigners(List<SignedData> signedData) {
        List<ValidSigner> signers = new ArrayList<>(signedData.size());
        Set<ByteString> seen = new HashSet<>();
        for (SignedData data : signedData) {
            if (seen.contains(data.identity())) {
                continue;
            }
            try {
                signers.add(validator.validate(data));
                seen.add(data.identity());
            } catch (SignatureVerificationException e) {
                LOG.warn("Signature set entry dropped: {}", e.getMessage());
            }
        }
        return signers;
    }

    /** Evaluates {@code rule}, which lives in {@code group}, over already-validated signers. */
    public static void evaluate(PolicyGroup group, PolicyRule rule, List<ValidSigner> signers)
            throws PolicyEvaluationException {
        if (rule instanceof PolicyRule.ImplicitMeta meta) {
            evaluateImplicitMeta(group, meta, signers);
        } else if (rule instanceof PolicyRule.Signature signature) {
            if (!SignaturePolicies.satisfied(signature.envelope(), signers)) {
                throw new PolicyEvaluationException("signature set did not satisfy policy");
            }
        } else {
            throw new PolicyEvaluationException("policy " + rule + " is not supported");
        }
    }

    private static void evaluateImplicitMeta(PolicyGroup group, PolicyRule.ImplicitMeta meta, List<ValidSigner> signers)
            throws PolicyEvaluationException {
        int total = group.groups().size();
        int threshold = switch (meta.rule()) {
            case ANY -> 1;
            case ALL -> total;
            case MAJORITY -> total / 2 + 1;
            default -> throw new PolicyEvaluationException("implicit meta rule " + meta.rule() + " is not supported");
        };
        if (total == 0) {
            threshold = 0;
        }
        int satisfied = 0;
        for (PolicyGroup sub : group.groups().values()) {
            if (satisfied >= threshold) {
                break;
            }
            PolicyRule subRule = sub.policies().get(meta.subPolicy());
            if (subRule == null) {
                continue;
            }
            try {
                evaluate(sub, subRule, signers);
                satisfied++;
            } catch (PolicyEvaluationException e) {
                LOG.debug("Sub-policy {}/{} not satisfied: {}", sub.path(), meta.subPolicy(), e.getMessage());
            }
        }
        if (satisfied < threshold) {
            throw new PolicyEvaluationException("implicit policy evaluation failed - " + satisfied
                    + " sub-policies were satisfied, but this policy requires " + threshold + " of the '"
                    + meta.subPolicy() + "' sub-policies to be satisfied");
        }
    }
}
