package io.fabsim.common.msp;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.fabsim.common.crypto.Pem;
import java.security.cert.X509Certificate;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

/** Fabric's {@code msp.SerializedIdentity{mspid, id_bytes = PEM certificate}}: make and read. */
public final class SerializedIdentities {

    private SerializedIdentities() {
    }

    /** The marshaled identity, with the certificate as Go's pem.Encode writes it. */
    public static byte[] serialize(String mspId, X509Certificate certificate) {
        return serialize(mspId, Pem.encodeCertificate(certificate));
    }

    /** The marshaled identity, with {@code certificatePem} kept byte for byte. */
    public static byte[] serialize(String mspId, byte[] certificatePem) {
        return SerializedIdentity.newBuilder().setMspid(mspId).setIdBytes(ByteString.copyFrom(certificatePem))
                .build().toByteArray();
    }

    /**
     * Parses the protobuf wrapper only (not the certificate).
     *
     * @throws IllegalArgumentException when the bytes are not a SerializedIdentity
     */
    public static SerializedIdentity parse(byte[] serializedIdentity) {
        try {
            return SerializedIdentity.parseFrom(serializedIdentity);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not a msp.SerializedIdentity (" + e.getMessage() + ")", e);
        }
    }
}
