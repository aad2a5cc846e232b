package io.fabsim.common.testing;

import io.fabsim.common.crypto.Ecdsa;
import io.fabsim.common.crypto.Signer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

/** A {@link Signer} over a test identity: ECDSA P-256 / SHA-256, DER, low-S; can be told to fail. */
public final class TestSigner implements Signer {

    private final String mspId;
    private final TestPki.Issued identity;
    private final byte[] serialized;
    private volatile boolean fail;

    public TestSigner(String mspId, TestPki.Issued identity) {
        this.mspId = mspId;
        this.identity = identity;
        this.serialized = SerializedIdentity.newBuilder().setMspid(mspId)
                .setIdBytes(com.google.protobuf.ByteString.copyFrom(identity.certificatePem(), StandardCharsets.UTF_8))
                .build().toByteArray();
    }

    /** A client of {@code Org1MSP} enrolled by a CA of its own. */
    public static TestSigner generated() {
        return new TestSigner("Org1MSP", new TestPki("org1.example.com").enroll("User1@org1.example.com", "client"));
    }

    public TestPki.Issued identity() {
        return identity;
    }

    public X509Certificate certificate() {
        return identity.certificate();
    }

    public KeyPair keyPair() {
        return identity.keys();
    }

    /** While {@code fail} is true, {@link #sign} throws {@code IllegalStateException("fake-signer-error")}. */
    public void failWith(boolean fail) {
        this.fail = fail;
    }

    @Override
    public String mspId() {
        return mspId;
    }

    @Override
    public byte[] serializedIdentity() {
        return serialized.clone();
    }

    @Override
    public byte[] sign(byte[] message) {
        if (fail) {
            throw new IllegalStateException("fake-signer-error");
        }
        return Ecdsa.sign(identity.keys().getPrivate(), message);
    }
}
