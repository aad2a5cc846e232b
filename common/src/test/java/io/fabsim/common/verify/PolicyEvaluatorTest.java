package io.fabsim.common.verify;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.fabsim.common.configtx.PolicyGroup;
import io.fabsim.common.configtx.PolicyRule;
import java.util.List;
import java.util.Map;
import org.hyperledger.fabric.protos.common.ImplicitMetaPolicy.Rule;
import org.hyperledger.fabric.protos.common.MSPPrincipal;
import org.hyperledger.fabric.protos.common.MSPRole;
import org.hyperledger.fabric.protos.common.MSPRole.MSPRoleType;
import org.hyperledger.fabric.protos.common.SignaturePolicy;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;
import org.junit.jupiter.api.Test;

class PolicyEvaluatorTest {

    private static MSPPrincipal role(String msp, MSPRoleType role) {
        return MSPPrincipal.newBuilder().setPrincipalClassification(MSPPrincipal.Classification.ROLE)
                .setPrincipal(MSPRole.newBuilder().setMspIdentifier(msp).setRole(role).build().toByteString()).build();
    }

    private static SignaturePolicy signedBy(int i) {
        return SignaturePolicy.newBuilder().setSignedBy(i).build();
    }

    private static PolicyRule nOutOf(int n, List<MSPPrincipal> principals) {
        SignaturePolicy.NOutOf.Builder rule = SignaturePolicy.NOutOf.newBuilder().setN(n);
        for (int i = 0; i < principals.size(); i++) {
            rule.addRules(signedBy(i));
        }
        return new PolicyRule.Signature(SignaturePolicyEnvelope.newBuilder()
                .setRule(SignaturePolicy.newBuilder().setNOutOf(rule)).addAllIdentities(principals).build());
    }

    private static ValidSigner signer(String msp, MSPRoleType role, String id) {
        return new ValidSigner(msp, role, ByteString.copyFromUtf8(id));
    }

    private static PolicyGroup org(String msp) {
        return new PolicyGroup("/Channel/Application/" + msp, Map.of(
                "Admins", nOutOf(1, List.of(role(msp, MSPRoleType.ADMIN))),
                "Writers", nOutOf(1, List.of(role(msp, MSPRoleType.ADMIN), role(msp, MSPRoleType.CLIENT)))), Map.of());
    }

    private static PolicyGroup application(Rule rule) {
        var orgs = new java.util.LinkedHashMap<String, PolicyGroup>();
        for (String msp : List.of("Org1MSP", "Org2MSP", "Org3MSP")) {
            orgs.put(msp, org(msp));
        }
        return new PolicyGroup("/Channel/Application", Map.of("Admins", new PolicyRule.ImplicitMeta("Admins", rule)), orgs);
    }

    @Test
    void implicitMetaCountsSatisfiedSubGroups() throws Exception {
        List<ValidSigner> twoAdmins = List.of(signer("Org1MSP", MSPRoleType.ADMIN, "a1"), signer("Org2MSP", MSPRoleType.ADMIN, "a2"));
        PolicyGroup majority = application(Rule.MAJORITY);
        assertThatCode(() -> PolicyEvaluator.evaluate(majority, majority.policies().get("Admins"), twoAdmins))
                .doesNotThrowAnyException();
        PolicyGroup all = application(Rule.ALL);
        assertThatThrownBy(() -> PolicyEvaluator.evaluate(all, all.policies().get("Admins"), twoAdmins))
                .hasMessage("implicit policy evaluation failed - 2 sub-policies were satisfied, but this policy"
                        + " requires 3 of the 'Admins' sub-policies to be satisfied");
        List<ValidSigner> oneClient = List.of(signer("Org1MSP", MSPRoleType.CLIENT, "c1"));
        assertThatThrownBy(() -> PolicyEvaluator.evaluate(majority, majority.policies().get("Admins"), oneClient))
                .hasMessageContaining("0 sub-policies were satisfied, but this policy requires 2 of the 'Admins'");
        PolicyGroup empty = new PolicyGroup("/Channel/X", Map.of(), Map.of());
        assertThatCode(() -> PolicyEvaluator.evaluate(empty, new PolicyRule.ImplicitMeta("Admins", Rule.ANY), List.of()))
                .doesNotThrowAnyException();
    }

    @Test
    void eachSignerCountsOnceInNOutOf() {
        List<MSPPrincipal> twoMembers = List.of(role("Org1MSP", MSPRoleType.MEMBER), role("Org1MSP", MSPRoleType.MEMBER));
        PolicyGroup group = new PolicyGroup("/Channel/G", Map.of(), Map.of());
        List<ValidSigner> one = List.of(signer("Org1MSP", MSPRoleType.PEER, "p1"));
        assertThatThrownBy(() -> PolicyEvaluator.evaluate(group, nOutOf(2, twoMembers), one))
                .hasMessage("signature set did not satisfy policy");
        List<ValidSigner> two = List.of(signer("Org1MSP", MSPRoleType.PEER, "p1"), signer("Org1MSP", MSPRoleType.CLIENT, "c1"));
        assertThatCode(() -> PolicyEvaluator.evaluate(group, nOutOf(2, twoMembers), two)).doesNotThrowAnyException();
    }

    @Test
    void rolesAndIdentitiesMatchExactly() {
        PolicyGroup group = new PolicyGroup("/Channel/G", Map.of(), Map.of());
        List<ValidSigner> peer = List.of(signer("Org1MSP", MSPRoleType.PEER, "p1"));
        assertThatThrownBy(() -> PolicyEvaluator.evaluate(group, nOutOf(1, List.of(role("Org1MSP", MSPRoleType.ADMIN))), peer))
                .isInstanceOf(PolicyEvaluationException.class);
        assertThatThrownBy(() -> PolicyEvaluator.evaluate(group, nOutOf(1, List.of(role("Org2MSP", MSPRoleType.PEER))), peer))
                .isInstanceOf(PolicyEvaluationException.class);
        MSPPrincipal exact = MSPPrincipal.newBuilder().setPrincipalClassification(MSPPrincipal.Classification.IDENTITY)
                .setPrincipal(ByteString.copyFromUtf8("p1")).build();
        assertThatCode(() -> PolicyEvaluator.evaluate(group, nOutOf(1, List.of(exact)), peer)).doesNotThrowAnyException();
        assertThatThrownBy(() -> PolicyEvaluator.evaluate(group, new PolicyRule.Unsupported(2), peer))
                .hasMessageContaining("not supported");
    }

    @Test
    void repeatedAndInvalidSignaturesAreDroppedBeforeEvaluation() {
        var calls = new java.util.concurrent.atomic.AtomicInteger();
        SignerValidator validator = data -> {
            calls.incrementAndGet();
            if (data.signature().isEmpty()) {
                throw new io.fabsim.common.crypto.SignatureVerificationException("bad");
            }
            return new ValidSigner("Org1MSP", MSPRoleType.ADMIN, data.identity());
        };
        PolicyEvaluator evaluator = new PolicyEvaluator(new PolicyGroup("/Channel", Map.of(), Map.of()), validator);
        var same = new io.fabsim.common.protoutil.SignedData(ByteString.copyFromUtf8("id"), ByteString.EMPTY, ByteString.copyFromUtf8("s"));
        var invalid = new io.fabsim.common.protoutil.SignedData(ByteString.copyFromUtf8("id2"), ByteString.EMPTY, ByteString.EMPTY);
        org.assertj.core.api.Assertions.assertThat(evaluator.validSigners(List.of(same, same, invalid))).hasSize(1);
        org.assertj.core.api.Assertions.assertThat(calls.get()).isEqualTo(2);
        assertThatThrownBy(() -> evaluator.evaluate("/Channel/Nope/Readers", List.of()))
                .hasMessageContaining("not found");
    }
}
