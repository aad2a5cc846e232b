package io.fabsim.common.verify;

import io.fabsim.common.crypto.SignatureVerificationException;
import io.fabsim.common.protoutil.SignedData;

/**
 * What policy evaluation needs from the channel's MSPs: validate the identity of one
 * {@link SignedData} (known MSP, certificate chains to its CA, role from its NodeOU) and verify
 * its signature over the data. Implementations cache validated identities.
 */
@FunctionalInterface
public interface SignerValidator {

    ValidSigner validate(SignedData signedData) throws SignatureVerificationException;
}
