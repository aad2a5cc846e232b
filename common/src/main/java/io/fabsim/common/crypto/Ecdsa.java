package io.fabsim.common.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * ECDSA on P-256 over SHA-256, as Fabric's BCCSP does it: signatures are ASN.1 DER
 * {@code SEQUENCE {r INTEGER, s INTEGER}} with low S ({@code s <= n/2}). Signing normalises S;
 * verification ({@link EcdsaPublicKey}) rejects high-S and malformed DER. Hashing uses the JDK's
 * SHA-256; the curve arithmetic is BouncyCastle's low-level {@link ECDSASigner} (much faster than
 * the JDK 17 provider). The nonce is deterministic (RFC 6979), so no entropy is drawn per signature.
 */
public final class Ecdsa {

    private static final X9ECParameters P256 = CustomNamedCurves.getByName("secp256r1");

    /** The P-256 domain (BouncyCastle's optimised curve implementation). */
    static final ECDomainParameters DOMAIN =
            new ECDomainParameters(P256.getCurve(), P256.getG(), P256.getN(), P256.getH());

    /** The curve order n. */
    public static final BigInteger ORDER = P256.getN();

    /** n / 2: the largest S a low-S signature may have. */
    public static final BigInteger HALF_ORDER = ORDER.shiftRight(1);

    private static final SecureRandom RANDOM = new SecureRandom();
    private static volatile ECParameterSpec jcaSpec;

    private Ecdsa() {
    }

    /** Signs {@code message}: ECDSA P-256 over SHA-256(message), DER-encoded, low-S. */
    public static byte[] sign(PrivateKey key, byte[] message) {
        return sign(privateKeyParameters(key, "private key"), message);
    }

    static byte[] sign(ECPrivateKeyParameters key, byte[] message) {
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, key);
        BigInteger[] rs = signer.generateSignature(sha256(message));
        return encodeDer(rs[0], toLowS(rs[1]));
    }

    /**
     * Verifies a signature by {@code key} over {@code message}.
     *
     * @throws SignatureVerificationException for malformed DER, high S, r or s out of range, or a
     *         signature that does not match
     */
    public static void verify(PublicKey key, byte[] message, byte[] signature) throws SignatureVerificationException {
        EcdsaPublicKey.of(key, "public key").verify("signature", message, signature);
    }

    /** The low-S form of {@code s}: {@code n - s} when {@code s > n/2}. */
    public static BigInteger toLowS(BigInteger s) {
        return s.compareTo(HALF_ORDER) > 0 ? ORDER.subtract(s) : s;
    }

    public static boolean isLowS(BigInteger s) {
        return s.compareTo(HALF_ORDER) <= 0;
    }

    /** {@code SEQUENCE {INTEGER r, INTEGER s}} in DER. */
    public static byte[] encodeDer(BigInteger r, BigInteger s) {
        try {
            return new DERSequence(new ASN1Integer[] {new ASN1Integer(r), new ASN1Integer(s)}).getEncoded("DER");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Decodes a strict DER signature into {r, s}.
     *
     * @throws IllegalArgumentException naming what is malformed
     */
    public static BigInteger[] decodeDer(byte[] der) {
        if (der == null || der.length < 8) {
            throw new IllegalArgumentException("is too short to be a DER ECDSA signature ("
                    + (der == null ? 0 : der.length) + " bytes)");
        }
        if ((der[0] & 0xff) != 0x30) {
            throw new IllegalArgumentException("is not a DER SEQUENCE (first byte 0x" + hex(der[0]) + ")");
        }
        int length = der[1] & 0xff;
        if (length >= 0x80 || length != der.length - 2) {
            throw new IllegalArgumentException("has a DER length of " + length + " but " + (der.length - 2)
                    + " content bytes (not strict DER)");
        }
        int[] offset = {2};
        BigInteger r = readInteger(der, offset, "r");
        BigInteger s = readInteger(der, offset, "s");
        if (offset[0] != der.length) {
            throw new IllegalArgumentException("has " + (der.length - offset[0]) + " trailing bytes after r and s");
        }
        return new BigInteger[] {r, s};
    }

    private static BigInteger readInteger(byte[] der, int[] offset, String name) {
        int at = offset[0];
        if (at + 2 > der.length || (der[at] & 0xff) != 0x02) {
            throw new IllegalArgumentException("has no DER INTEGER for " + name);
        }
        int length = der[at + 1] & 0xff;
        int start = at + 2;
        if (length == 0 || length >= 0x80 || start + length > der.length) {
            throw new IllegalArgumentException("has a bad DER INTEGER length " + length + " for " + name);
        }
        if ((der[start] & 0x80) != 0) {
            throw new IllegalArgumentException("has a negative " + name);
        }
        if (length > 1 && der[start] == 0 && (der[start + 1] & 0x80) == 0) {
            throw new IllegalArgumentException("has a non-minimal DER encoding of " + name);
        }
        byte[] magnitude = new byte[length];
        System.arraycopy(der, start, magnitude, 0, length);
        offset[0] = start + length;
        return new BigInteger(1, magnitude);
    }

    /** SHA-256 with the JDK's implementation. */
    public static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** True when {@code privateKey} is the private half of {@code publicKey}. */
    public static boolean isKeyPair(PrivateKey privateKey, PublicKey publicKey) {
        if (!(privateKey instanceof ECPrivateKey ec) || !(publicKey instanceof ECPublicKey pub) || !isP256(ec.getParams())) {
            return false;
        }
        ECPoint q = publicPoint(ec.getS()).normalize();
        return q.getAffineXCoord().toBigInteger().equals(pub.getW().getAffineX())
                && q.getAffineYCoord().toBigInteger().equals(pub.getW().getAffineY());
    }

    /**
     * A fresh P-256 key pair (BouncyCastle's generator with a {@link SecureRandom}), returned as
     * JCA keys ({@link ECPrivateKey}, {@link ECPublicKey}).
     */
    public static KeyPair generateKeyPair() {
        ECKeyPairGenerator generator = new ECKeyPairGenerator();
        generator.init(new ECKeyGenerationParameters(DOMAIN, RANDOM));
        BigInteger d = ((ECPrivateKeyParameters) generator.generateKeyPair().getPrivate()).getD();
        return keyPair(d);
    }

    /** The JCA key pair of the private scalar {@code d}. */
    static KeyPair keyPair(BigInteger d) {
        ECPoint q = publicPoint(d).normalize();
        ECParameterSpec spec = jcaSpec();
        try {
            KeyFactory factory = KeyFactory.getInstance("EC");
            PrivateKey priv = factory.generatePrivate(new ECPrivateKeySpec(d, spec));
            PublicKey pub = factory.generatePublic(new ECPublicKeySpec(new java.security.spec.ECPoint(
                    q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger()), spec));
            return new KeyPair(pub, priv);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot build P-256 keys", e);
        }
    }

    private static ECParameterSpec jcaSpec() {
        ECParameterSpec spec = jcaSpec;
        if (spec == null) {
            try {
                AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
                params.init(new ECGenParameterSpec("secp256r1"));
                spec = params.getParameterSpec(ECParameterSpec.class);
                jcaSpec = spec;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK has no secp256r1", e);
            }
        }
        return spec;
    }

    /** The public point {@code d * G}. */
    static ECPoint publicPoint(BigInteger d) {
        return new FixedPointCombMultiplier().multiply(DOMAIN.getG(), d);
    }

    static ECPrivateKeyParameters privateKeyParameters(PrivateKey key, String what) {
        if (!(key instanceof ECPrivateKey ec)) {
            throw new CryptoMaterialException(what + ": is " + key.getAlgorithm() + ", expected an EC P-256 key");
        }
        if (!isP256(ec.getParams())) {
            throw new CryptoMaterialException(what + ": EC key with a " + ec.getParams().getCurve().getField().getFieldSize()
                    + "-bit curve, expected P-256 (prime256v1)");
        }
        return new ECPrivateKeyParameters(ec.getS(), DOMAIN);
    }

    static boolean isP256(ECParameterSpec params) {
        return params != null && params.getOrder().equals(ORDER)
                && params.getCurve().getField().getFieldSize() == 256
                && params.getGenerator().getAffineX().equals(DOMAIN.getG().normalize().getAffineXCoord().toBigInteger());
    }

    private static String hex(byte b) {
        return String.format("%02x", b & 0xff);
    }
}
