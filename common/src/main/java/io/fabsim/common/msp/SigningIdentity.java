package io.fabsim.common.msp;

import io.fabsim.common.crypto.Ecdsa;
import io.fabsim.common.crypto.Signer;
import java.security.interfaces.ECPrivateKey;
import java.security.cert.X509Certificate;

/**
 * A local identity that signs: an MSP id, its enrollment certificate and the matching P-256 key.
 * Signatures are ECDSA over SHA-256, DER, low-S, as Fabric requires. Thread-safe.
 */
public final class SigningIdentity implements Signer {

    private final String mspId;
    private final X509Certificate certificate;
    private final ECPrivateKey privateKey;
    private final byte[] serialized;

    /**
     * @param certificatePem the certificate's PEM as it appears in {@code signcerts/}; it becomes
     *        the {@code id_bytes} of the serialized identity unchanged
     */
    public SigningIdentity(String mspId, X509Certificate certificate, byte[] certificatePem, ECPrivateKey privateKey) {
        this.mspId = mspId;
        this.certificate = certificate;
        this.privateKey = privateKey;
        this.serialized = SerializedIdentities.serialize(mspId, certificatePem);
    }

    @Override
    public String mspId() {
        return mspId;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    @Override
    public byte[] serializedIdentity() {
        return serialized.clone();
    }

    @Override
    public byte[] sign(byte[] message) {
        return Ecdsa.sign(privateKey, message);
    }

    @Override
    public String toString() {
        return mspId + "/" + certificate.getSubjectX500Principal().getName();
    }
}
