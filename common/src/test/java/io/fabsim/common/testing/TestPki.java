package io.fabsim.common.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes ECDSA P-256 certificates for tests, as cryptogen would: one CA per org, enrollment
 * certificates with the role in the OU, TLS certificates for 127.0.0.1/localhost.
 */
public final class TestPki {

    private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());
    public static final Instant NOT_BEFORE = Instant.parse("2026-01-01T00:00:00Z");
    public static final Instant NOT_AFTER = Instant.parse("2036-01-01T00:00:00Z");

    /** A key pair and its certificate. */
    public record Issued(KeyPair keys, X509Certificate certificate) {
        public String certificatePem() {
            return pem(certificate);
        }

        public String privateKeyPem() {
            return "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keys.getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
        }

        public byte[] certificateDerSha256() {
            try {
                return MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Writes {@code <name>.crt} and {@code <name>.key} into {@code dir}. */
        public TlsFiles write(Path dir, String name) {
            try {
                Files.createDirectories(dir);
                Path cert = dir.resolve(name + ".crt");
                Path key = dir.resolve(name + ".key");
                Files.writeString(cert, certificatePem());
                Files.writeString(key, privateKeyPem());
                return new TlsFiles(cert, key);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public record TlsFiles(Path certificate, Path privateKey) {
    }

    private final Issued ca;
    private final X500Name caName;

    public TestPki(String domain) {
        KeyPair keys = newKeys();
        this.caName = new X500Name("C=US,O=" + domain + ",CN=ca." + domain);
        this.ca = new Issued(keys, sign(caName, caName, keys, keys, true, null, NOT_BEFORE, NOT_AFTER));
    }

    private TestPki(Issued ca, X500Name caName) {
        this.ca = ca;
        this.caName = caName;
    }

    public Issued ca() {
        return ca;
    }

    /**
     * An intermediate CA {@code CN=name} issued by this CA: what it enrolls and issues chains to this
     * CA only through the intermediate's certificate ({@link #ca()} of the returned one).
     */
    public TestPki intermediate(String name) {
        KeyPair keys = newKeys();
        X500Name subject = new X500Name("C=US,CN=" + name);
        return new TestPki(new Issued(keys, sign(subject, caName, keys, ca.keys(), true, null, NOT_BEFORE, NOT_AFTER)),
                subject);
    }

    /** An enrollment certificate with {@code OU=role}, valid over the default window. */
    public Issued enroll(String name, String role) {
        return enroll(name, role, NOT_BEFORE, NOT_AFTER);
    }

    public Issued enroll(String name, String role, Instant notBefore, Instant notAfter) {
        KeyPair keys = newKeys();
        X500Name subject = new X500Name("C=US,OU=" + role + ",CN=" + name);
        return new Issued(keys, sign(subject, caName, keys, ca.keys(), false, null, notBefore, notAfter));
    }

    /** A TLS certificate with SANs localhost and 127.0.0.1 (usable for server and client). */
    public Issued tls(String name) {
        KeyPair keys = newKeys();
        GeneralNames sans = new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")});
        return new Issued(keys, sign(new X500Name("C=US,CN=" + name), caName, keys, ca.keys(), false, sans,
                NOT_BEFORE, NOT_AFTER));
    }

    public static String pem(X509Certificate certificate) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(certificate);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static KeyPair newKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate sign(X500Name subject, X500Name issuer, KeyPair subjectKeys, KeyPair issuerKeys,
            boolean isCa, GeneralNames sans, Instant notBefore, Instant notAfter) {
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(notBefore), Date.from(notAfter),
                    subject, subjectKeys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
            if (sans != null) {
                builder.addExtension(Extension.subjectAlternativeName, false, sans);
            }
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException("cannot issue a test certificate for " + subject, e);
        }
    }
}
