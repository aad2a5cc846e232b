package io.fabsim.common.crypto;

/**
 * A local signing identity, as Fabric's {@code identity.SignerSerializer}: it signs bytes and
 * says who it is. Implementations sign with ECDSA over SHA-256, DER-encoded, low-S.
 */
public interface Signer {

    /** The MSP id of the organization this identity belongs to, e.g. {@code Org1MSP}. */
    String mspId();

    /** The marshaled {@code msp.SerializedIdentity{mspid, id_bytes = PEM certificate}}. */
    byte[] serializedIdentity();

    /** Signs {@code message}: ECDSA P-256 over SHA-256(message), ASN.1 DER, low-S. */
    byte[] sign(byte[] message);
}
