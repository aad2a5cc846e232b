package io.fabsim.common.protoutil;

import com.google.protobuf.ByteString;

/**
 * One signature to check, as Fabric's {@code protoutil.SignedData}: the marshaled
 * {@code msp.SerializedIdentity} of the signer, the exact bytes it signed, and the DER signature.
 */
public record SignedData(ByteString identity, ByteString data, ByteString signature) {
}
