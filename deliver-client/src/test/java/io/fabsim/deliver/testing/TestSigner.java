package io.fabsim.deliver.testing;

import com.google.protobuf.ByteString;
import io.fabsim.common.crypto.Signer;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.util.concurrent.atomic.AtomicInteger;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

/** An ECDSA signer over a generated or loaded key (JCA; tests only); can be told to fail. */
public final class TestSigner implements Signer {

    private final String mspId;
    private final byte[] identity;
    private final KeyPair key;
    private volatile boolean fail;
    public final AtomicInteger signCalls = new AtomicInteger();

    public TestSigner(String mspId, byte[] certPem, KeyPair key) {
        this.mspId = mspId;
        this.identity = SerializedIdentity.newBuilder().setMspid(mspId).setIdBytes(ByteString.copyFrom(certPem)).build().toByteArray();
        this.key = key;
    }

    public static TestSigner generated() {
        return new TestSigner("Org1MSP", "-----BEGIN CERTIFICATE-----\ntest\n-----END CERTIFICATE-----\n".getBytes(),
                TestBlocks.newKeyPair());
    }

    public KeyPair keyPair() {
        return key;
    }

    public void failWith(boolean fail) {
        this.fail = fail;
    }

    @Override
    public String mspId() {
        return mspId;
    }

    @Override
    public byte[] serializedIdentity() {
        return identity.clone();
    }

    @Override
    public byte[] sign(byte[] message) {
        signCalls.incrementAndGet();
        if (fail) {
            throw new IllegalStateException("fake-signer-error");
        }
        try {
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(key.getPrivate());
            s.update(message);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
