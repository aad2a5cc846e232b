package io.fabsim.common.testing;

import com.google.protobuf.InvalidProtocolBufferException;
import io.fabsim.common.crypto.Ecdsa;
import io.fabsim.common.crypto.IdentityVerifier;
import io.fabsim.common.crypto.SignatureVerificationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
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
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

/**
 * Makes ECDSA P-256 certificates for tests, as cryptogen would: one CA per org, enrollment
 * certificates with the role in the OU, TLS certificates for 127.0.0.1/localhost. {@link #org}
 * makes an organization with a signing CA and a TLS CA, and {@link #verifier} checks identities
 * the way an MSP would (issued by the org's CA, signature valid), with the JDK only.
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

    /** An organization: its MSP ID, a CA for enrollment certificates and one for TLS certificates. */
    public record Org(String mspId, TestPki ca, TestPki tlsCa) {

        /** A node of this org: an enrollment identity ({@code OU=peer}) and a TLS certificate. */
        public Node node(String name) {
            return new Node(name, new TestSigner(mspId, ca.enroll(name, "peer")), tlsCa.tls(name), this);
        }
    }

    /** A node: its signer and its TLS key pair and certificate. */
    public record Node(String name, TestSigner signer, Issued tls, Org org) {

        public KeyPair tlsKeys() {
            return tls.keys();
        }

        public X509Certificate tlsCert() {
            return tls.certificate();
        }
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

    /** An organization named by its MSP ID, with a signing CA and a TLS CA of its own. */
    public static Org org(String mspId) {
        String domain = mspId.toLowerCase(Locale.ROOT);
        return new Org(mspId, new TestPki(domain), new TestPki("tls." + domain));
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

    /** Verifies identities of the given orgs, as an MSP would: issued by the org's CA, signature valid. */
    public static IdentityVerifier verifier(Org... orgs) {
        Map<String, X509Certificate> cas = new HashMap<>();
        for (Org org : orgs) {
            cas.put(org.mspId(), org.ca().ca().certificate());
        }
        return (serializedIdentity, message, signature) -> {
            try {
                SerializedIdentity sid = SerializedIdentity.parseFrom(serializedIdentity);
                X509Certificate ca = cas.get(sid.getMspid());
                if (ca == null) {
                    throw new SignatureVerificationException("unknown MSP " + sid.getMspid());
                }
                X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(sid.getIdBytes().toByteArray()));
                try {
                    cert.verify(ca.getPublicKey());
                } catch (GeneralSecurityException e) {
                    throw new SignatureVerificationException("certificate not issued by the CA of " + sid.getMspid());
                }
                if (!verify(cert.getPublicKey(), message, signature)) {
                    throw new SignatureVerificationException("signature mismatch");
                }
                return sid.getMspid();
            } catch (InvalidProtocolBufferException | GeneralSecurityException e) {
                throw new SignatureVerificationException("bad identity: " + e.getMessage(), e);
            }
        };
    }

    /** True if {@code signature} (ECDSA, SHA-256) over {@code message} verifies with {@code key}. */
    public static boolean verify(PublicKey key, byte[] message, byte[] signature) {
        try {
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initVerify(key);
            s.update(message);
            return s.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** A fresh ECDSA P-256 key pair. */
    public static KeyPair newKeys() {
        return Ecdsa.generateKeyPair();
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
