package io.fabsim.common.msp;

import io.fabsim.common.crypto.EcdsaPublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * An identity that passed MSP validation: its organization, certificate, role, and its public key
 * ready for fast signature checks.
 */
public record ValidatedIdentity(String mspId, X509Certificate certificate, Role role, EcdsaPublicKey publicKey) {

    /** Whether this identity satisfies an MSP principal {@code mspId.role} (e.g. Org1MSP.member). */
    public boolean satisfies(String principalMspId, Role principalRole) {
        return mspId.equals(principalMspId) && role.satisfies(principalRole);
    }

    /**
     * Whether the certificate is outside its validity at {@code now}; validation itself does not
     * look at the current time (Fabric's MSP checks chains at NotBefore + 1 s), but the orderer's
     * Deliver answers FORBIDDEN to an expired identity.
     */
    public boolean isExpiredAt(Instant now) {
        return MspVerifier.isExpired(certificate, now);
    }

    public String subject() {
        return certificate.getSubjectX500Principal().getName();
    }

    @Override
    public String toString() {
        return mspId + "/" + role.name().toLowerCase(java.util.Locale.ROOT) + "/" + subject();
    }
}
