package io.fabsim.common.crypto;

import java.math.BigInteger;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECPoint;

/**
 * A P-256 public key converted once to BouncyCastle's form, ready for fast repeated verification
 * (identity caches keep one per certificate). Verification follows Fabric's BCCSP: strict DER,
 * {@code 0 < r, s < n}, low S, then the ECDSA check over SHA-256(message).
 */
public final class EcdsaPublicKey {

    private final ECPublicKeyParameters parameters;

    private EcdsaPublicKey(ECPublicKeyParameters parameters) {
        this.parameters = parameters;
    }

    /**
     * Converts a JCA public key.
     *
     * @param what names the key's owner in error messages (e.g. a file or an identity)
     * @throws CryptoMaterialException if the key is not an EC P-256 key or its point is invalid
     */
    public static EcdsaPublicKey of(PublicKey key, String what) {
        if (!(key instanceof ECPublicKey ec)) {
            throw new CryptoMaterialException(what + ": public key is " + key.getAlgorithm() + ", expected an EC P-256 key");
        }
        if (!Ecdsa.isP256(ec.getParams())) {
            throw new CryptoMaterialException(what + ": EC public key on a "
                    + ec.getParams().getCurve().getField().getFieldSize() + "-bit curve, expected P-256 (prime256v1)");
        }
        ECPoint point;
        try {
            point = Ecdsa.DOMAIN.getCurve().validatePoint(ec.getW().getAffineX(), ec.getW().getAffineY());
        } catch (IllegalArgumentException e) {
            throw new CryptoMaterialException(what + ": EC public key point is not on P-256", e);
        }
        return new EcdsaPublicKey(new ECPublicKeyParameters(point, Ecdsa.DOMAIN));
    }

    /**
     * Verifies {@code signature} over {@code message}.
     *
     * @param who the subject of the error message, e.g. {@code "signature by Org1MSP"}; the message
     *        reads {@code "<who> is high-S (Fabric rejects it)"}
     */
    public void verify(String who, byte[] message, byte[] signature) throws SignatureVerificationException {
        String problem = problem(message, signature);
        if (problem != null) {
            throw new SignatureVerificationException(who + " " + problem);
        }
    }

    /** True when {@code signature} is a valid low-S DER signature over {@code message}. */
    public boolean isValid(byte[] message, byte[] signature) {
        return problem(message, signature) == null;
    }

    /**
     * Checks a certificate's signature (ecdsa-with-SHA256 over its TBS bytes): strict DER and the
     * ECDSA equation, but S may be high, since X.509 signatures, unlike Fabric's message
     * signatures, are not normalised (Go's x509 leaves about half of them high-S).
     */
    public boolean isValidAnyS(byte[] message, byte[] signature) {
        BigInteger[] rs;
        try {
            rs = Ecdsa.decodeDer(signature);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (rs[0].signum() <= 0 || rs[0].compareTo(Ecdsa.ORDER) >= 0 || rs[1].signum() <= 0 || rs[1].compareTo(Ecdsa.ORDER) >= 0) {
            return false;
        }
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, parameters);
        return verifier.verifySignature(Ecdsa.sha256(message), rs[0], rs[1]);
    }

    private String problem(byte[] message, byte[] signature) {
        BigInteger[] rs;
        try {
            rs = Ecdsa.decodeDer(signature);
        } catch (IllegalArgumentException e) {
            return "is malformed: " + e.getMessage();
        }
        BigInteger r = rs[0];
        BigInteger s = rs[1];
        if (r.signum() <= 0 || r.compareTo(Ecdsa.ORDER) >= 0 || s.signum() <= 0 || s.compareTo(Ecdsa.ORDER) >= 0) {
            return "is invalid: r and s must be between 1 and the curve order minus 1";
        }
        if (!Ecdsa.isLowS(s)) {
            return "is high-S (Fabric rejects it)";
        }
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, parameters);
        if (!verifier.verifySignature(Ecdsa.sha256(message), r, s)) {
            return "does not verify: the signature is invalid for this message and key";
        }
        return null;
    }
}
