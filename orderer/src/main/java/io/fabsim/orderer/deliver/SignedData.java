package io.fabsim.orderer.deliver;

/**
 * One signature over some bytes and who claims to have made it (Fabric's {@code protoutil.SignedData}):
 * for an envelope, data is the payload bytes as received, identity the serialized creator of the
 * signature header, and signature the envelope's signature.
 */
public record SignedData(byte[] data, byte[] identity, byte[] signature) {
}
