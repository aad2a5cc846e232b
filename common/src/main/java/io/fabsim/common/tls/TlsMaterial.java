package io.fabsim.common.tls;

import io.fabsim.common.crypto.CryptoMaterialException;
import io.fabsim.common.crypto.Ecdsa;
import io.fabsim.common.crypto.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.util.ArrayList;
import java.util.List;

/**
 * A TLS identity: a certificate, its private key and the root CAs to trust for the other side,
 * as in Fabric's {@code tls/} folder ({@code server.crt}, {@code server.key}, {@code ca.crt} for a
 * node; {@code client.crt}, {@code client.key}, {@code ca.crt} for a user).
 */
public record TlsMaterial(X509Certificate certificate, ECPrivateKey privateKey, List<X509Certificate> rootCas) {

    public TlsMaterial {
        rootCas = List.copyOf(rootCas);
        if (!Ecdsa.isKeyPair(privateKey, certificate.getPublicKey())) {
            throw new CryptoMaterialException("TLS key does not match the certificate "
                    + certificate.getSubjectX500Principal().getName());
        }
    }

    /**
     * Loads a cryptogen {@code tls/} folder: {@code server.crt}/{@code server.key} when present,
     * else {@code client.crt}/{@code client.key}; {@code ca.crt} (optional) gives the root CAs.
     */
    public static TlsMaterial fromFolder(Path tlsDir) {
        String prefix = Files.isRegularFile(tlsDir.resolve("server.crt")) ? "server" : "client";
        Path cert = tlsDir.resolve(prefix + ".crt");
        if (!Files.isRegularFile(cert)) {
            throw new CryptoMaterialException(tlsDir + ": not a TLS folder: expected server.crt and server.key, or client.crt and client.key");
        }
        Path ca = tlsDir.resolve("ca.crt");
        return fromFiles(cert, tlsDir.resolve(prefix + ".key"), Files.isRegularFile(ca) ? List.of(ca) : List.of());
    }

    /** Loads a certificate, its key and any number of root CA files (Fabric's {@code General.TLS.*}). */
    public static TlsMaterial fromFiles(Path certificate, Path privateKey, List<Path> rootCaFiles) {
        X509Certificate cert = Pem.readCertificate(certificate);
        ECPrivateKey key = Pem.readPrivateKey(privateKey);
        if (!Ecdsa.isKeyPair(key, cert.getPublicKey())) {
            throw new CryptoMaterialException(privateKey + ": key does not match the certificate in " + certificate);
        }
        return new TlsMaterial(cert, key, readRoots(rootCaFiles));
    }

    /** Reads every certificate of every file (a root CA bundle may hold several). */
    public static List<X509Certificate> readRoots(List<Path> files) {
        List<X509Certificate> roots = new ArrayList<>();
        for (Path file : files) {
            try {
                roots.addAll(Pem.parseCertificates(Files.readAllBytes(file), file.toString()));
            } catch (java.io.IOException e) {
                throw new CryptoMaterialException(file + ": cannot read (" + e + ")", e);
            }
        }
        return roots;
    }

    /** SHA-256 of the certificate's DER: Fabric's {@code tls_cert_hash} binding in channel headers. */
    public byte[] certHash() {
        return certHash(certificate);
    }

    public static byte[] certHash(X509Certificate cert) {
        try {
            return Ecdsa.sha256(cert.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new CryptoMaterialException("cannot encode certificate " + cert.getSubjectX500Principal(), e);
        }
    }

    @Override
    public String toString() {
        return "TlsMaterial[" + certificate.getSubjectX500Principal().getName() + ", roots=" + rootCas.size() + "]";
    }
}
