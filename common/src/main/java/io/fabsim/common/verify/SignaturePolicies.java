package io.fabsim.common.verify;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.List;
import org.hyperledger.fabric.protos.common.MSPPrincipal;
import org.hyperledger.fabric.protos.common.MSPRole;
import org.hyperledger.fabric.protos.common.SignaturePolicy;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;

/**
 * Fabric's {@code cauthdsl} evaluation of a {@code SignaturePolicyEnvelope}: {@code SignedBy(i)}
 * is satisfied by the first unused signer matching principal {@code i} (then marked used);
 * {@code NOutOf(n, rules)} by at least {@code n} satisfied rules, each tried on a copy of the
 * used-marks that is kept only when the rule succeeds. Principals: ROLE (member, admin, client,
 * peer, orderer) and IDENTITY (the exact serialized identity); other kinds are never satisfied.
 */
final class SignaturePolicies {

    private SignaturePolicies() {
    }

    static boolean satisfied(SignaturePolicyEnvelope envelope, List<ValidSigner> signers) {
        return satisfied(envelope.getRule(), envelope.getIdentitiesList(), signers, new boolean[signers.size()]);
    }

    private static boolean satisfied(SignaturePolicy rule, List<MSPPrincipal> principals, List<ValidSigner> signers,
                                     boolean[] used) {
        switch (rule.getTypeCase()) {
            case SIGNED_BY -> {
                int index = rule.getSignedBy();
                if (index < 0 || index >= principals.size()) {
                    return false;
                }
                MSPPrincipal principal = principals.get(index);
                for (int i = 0; i < signers.size(); i++) {
                    if (!used[i] && matches(principal, signers.get(i))) {
                        used[i] = true;
                        return true;
                    }
                }
                return false;
            }
            case N_OUT_OF -> {
                int verified = 0;
                boolean[] attempt = new boolean[used.length];
                for (SignaturePolicy sub : rule.getNOutOf().getRulesList()) {
                    System.arraycopy(used, 0, attempt, 0, used.length);
                    if (satisfied(sub, principals, signers, attempt)) {
                        verified++;
                        System.arraycopy(attempt, 0, used, 0, used.length);
                    }
                }
                return verified >= rule.getNOutOf().getN();
            }
            default -> {
                return false;
            }
        }
    }

    private static boolean matches(MSPPrincipal principal, ValidSigner signer) {
        try {
            return switch (principal.getPrincipalClassification()) {
                case ROLE -> {
                    MSPRole role = MSPRole.parseFrom(principal.getPrincipal());
                    yield signer.satisfiesRole(role.getMspIdentifier(), role.getRole());
                }
                case IDENTITY -> principal.getPrincipal().equals(signer.serializedIdentity());
                default -> false;
            };
        } catch (InvalidProtocolBufferException e) {
            return false;
        }
    }
}
