package io.fabsim.gossip;

import com.google.protobuf.ByteString;
import io.fabsim.common.crypto.IdentityVerifier;
import io.fabsim.common.crypto.SignatureVerificationException;
import io.fabsim.common.crypto.Signer;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

/**
 * Test crypto material made at run time with the JDK and BouncyCastle: per organization a signing
 * CA and a TLS CA, and per node an enrollment identity ({@link Signer}) and a TLS key pair.
 */
public final class TestPki {

    private static final AtomicLong SERIAL = new AtomicLong(1000);

    /** A CA: key pair and self-signed certificate. */
    public record Ca(KeyPair keys, X509Certificate cert) {
    }

    /** An organization with its two CAs. */
    public record Org(String mspId, Ca ca, Ca tlsCa) {

        public Node node(String name) {
            KeyPair signing = newKeyPair();
            X509Certificate signCert = issue(ca, name, signing.getPublic(), false);
            KeyPair tls = newKeyPair();
            X509Certificate tlsCert = issue(tlsCa, name, tls.getPublic(), true);
            return new Node(name, new TestSigner(mspId, signCert, signing), tls, tlsCert, this);
        }
    }

    /** A node: its signer and TLS material. */
    public record Node(String name, TestSigner signer, KeyPair tlsKeys, X509Certificate tlsCert, Org org) {

        public GossipTls tls(boolean mutual) {
            return tls(mutual, List.of(org.tlsCa().cert()));
        }

        /** TLS trusting the given roots (a channel's peers trust every org's TLS CA, as in Fabric). */
        public GossipTls tls(boolean mutual, List<X509Certificate> roots) {
            return new GossipTls(tlsKeys.getPrivate(), List.of(tlsCert), roots, mutual);
        }
    }

    private TestPki() {
    }

    public static Org org(String mspId) {
        return new Org(mspId, ca("ca." + mspId), ca("tlsca." + mspId));
    }

    /** Verifies identities of the given orgs, as an MSP would: issued by the org's CA, signature valid. */
    public static IdentityVerifier verifier(Org... orgs) {
        Map<String, X509Certificate> cas = new java.util.HashMap<>();
        for (Org org : orgs) {
            cas.put(org.mspId(), org.ca().cert());
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
            } catch (com.google.protobuf.InvalidProtocolBufferException | GeneralSecurityException e) {
                throw new SignatureVerificationException("bad identity: " + e.getMessage(), e);
            }
        };
    }

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

    static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Ca ca(String name) {
        KeyPair keys = newKeyPair();
        try {
            X500Name subject = new X500Name("CN=" + name + ",O=fabsim-test");
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(1, ChronoUnit.DAYS)),
                    Date.from(now.plus(365, ChronoUnit.DAYS)), subject, keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            return new Ca(keys, new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()))));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate issue(Ca ca, String name, PublicKey key, boolean tls) {
        try {
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca.cert(),
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(1, ChronoUnit.DAYS)),
                    Date.from(now.plus(365, ChronoUnit.DAYS)), new X500Name("CN=" + name), key);
            if (tls) {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.dNSName, "localhost"),
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            }
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.keys().getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(X509Certificate cert) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(cert);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    /** An enrollment identity that signs with ECDSA/SHA-256 (JDK provider). */
    public static final class TestSigner implements Signer {

        private final String mspId;
        private final X509Certificate cert;
        private final KeyPair keys;
        private final byte[] serialized;

        TestSigner(String mspId, X509Certificate cert, KeyPair keys) {
            this.mspId = mspId;
            this.cert = cert;
            this.keys = keys;
            this.serialized = SerializedIdentity.newBuilder().setMspid(mspId)
                    .setIdBytes(ByteString.copyFrom(pem(cert), StandardCharsets.UTF_8)).build().toByteArray();
        }

        public X509Certificate certificate() {
            return cert;
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
            try {
                Signature s = Signature.getInstance("SHA256withECDSA");
                s.initSign(keys.getPrivate());
                s.update(message);
                return s.sign();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
