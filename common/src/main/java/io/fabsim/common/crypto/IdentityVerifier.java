package io.fabsim.common.crypto;

/**
 * Checks that a serialized identity is valid for one of a set of organizations (its certificate
 * chains to that org's root CA) and that it signed a message. The channel-level implementation is
 * built from a channel config; tests may use fakes.
 */
public interface IdentityVerifier {

    /**
     * Verifies {@code signature} over {@code message} by {@code serializedIdentity}.
     *
     * @return the MSP id of the identity's organization
     * @throws SignatureVerificationException naming what is wrong (unknown MSP, certificate not
     *         issued by the org's CA, malformed DER, high-S, signature mismatch)
     */
    String verify(byte[] serializedIdentity, byte[] message, byte[] signature) throws SignatureVerificationException;
}
