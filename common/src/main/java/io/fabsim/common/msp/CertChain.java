package io.fabsim.common.msp;

import io.fabsim.common.crypto.CryptoMaterialException;
import io.fabsim.common.crypto.EcdsaPublicKey;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds a certificate's issuing chain to one of a set of roots, through intermediates. ECDSA
 * P-256/SHA-256 links are checked with BouncyCastle (fast); other algorithms with the JDK.
 */
final class CertChain {

    private static final int MAX_DEPTH = 8;
    private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";

    private CertChain() {
    }

    /**
     * The chain {@code [cert, issuer, ..., root]} ending at one of {@code roots}, each link
     * checked by name and signature; empty when there is none.
     */
    static Optional<List<X509Certificate>> build(X509Certificate cert, List<X509Certificate> roots,
            List<X509Certificate> intermediates) {
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(cert);
        X509Certificate current = cert;
        for (int depth = 0; depth < MAX_DEPTH; depth++) {
            Optional<X509Certificate> root = issuerAmong(current, roots);
            if (root.isPresent()) {
                if (!root.get().equals(current)) {
                    chain.add(root.get());
                }
                return Optional.of(chain);
            }
            Optional<X509Certificate> next = issuerAmong(current, intermediates);
            if (next.isEmpty() || next.get().equals(current)) {
                return Optional.empty();
            }
            chain.add(next.get());
            current = next.get();
        }
        return Optional.empty();
    }

    private static Optional<X509Certificate> issuerAmong(X509Certificate cert, List<X509Certificate> candidates) {
        for (X509Certificate candidate : candidates) {
            if (candidate.getSubjectX500Principal().equals(cert.getIssuerX500Principal())
                    && candidate.getBasicConstraints() >= 0 && signedBy(cert, candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static boolean signedBy(X509Certificate cert, X509Certificate issuer) {
        if (ECDSA_WITH_SHA256.equals(cert.getSigAlgOID())) {
            try {
                return EcdsaPublicKey.of(issuer.getPublicKey(), "issuer").isValidAnyS(cert.getTBSCertificate(), cert.getSignature());
            } catch (CryptoMaterialException | java.security.cert.CertificateEncodingException e) {
                return false;
            }
        }
        try {
            cert.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
