package io.fabsim.common.verify;

import io.fabsim.common.crypto.SignatureVerificationException;
import io.fabsim.common.msp.MspVerifier;
import io.fabsim.common.msp.ValidatedIdentity;
import io.fabsim.common.protoutil.SignedData;
import org.hyperledger.fabric.protos.common.MSPRole.MSPRoleType;

/**
 * {@link SignerValidator} over fabsim's {@link MspVerifier}: identity validation is cached by the
 * verifier, so a known signer costs one map lookup plus one ECDSA verify.
 */
public final class MspSignerValidator implements SignerValidator {

    private final MspVerifier verifier;

    public MspSignerValidator(MspVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public ValidSigner validate(SignedData data) throws SignatureVerificationException {
        ValidatedIdentity identity = verifier.verifyIdentity(data.identity().toByteArray(), data.data().toByteArray(),
                data.signature().toByteArray());
        return new ValidSigner(identity.mspId(), MSPRoleType.valueOf(identity.role().name()), data.identity());
    }
}
