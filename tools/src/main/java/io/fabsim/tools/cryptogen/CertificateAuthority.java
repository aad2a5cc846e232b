package io.fabsim.tools.cryptogen;

import io.fabsim.common.crypto.CryptoMaterialException;
import io.fabsim.common.crypto.Ecdsa;
import io.fabsim.common.crypto.Pem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;

/**
 * One self-signed P-256 CA as Fabric's cryptogen makes it ({@code internal/cryptogen/ca}): subject
 * {@code C, ST, L, O=<domain>, [OU,] CN=<name>}, key usage digital signature, key encipherment,
 * cert sign and CRL sign, EKU clientAuth + serverAuth, {@code CA:TRUE}, SKI = SHA-256 of the
 * public point; validity from the current minute minus 5 minutes for 3650 days. It signs leaf
 * certificates with subject {@code C, ST, L, [OU...,] CN}, AKI = the CA's SKI.
 */
final class CertificateAuthority {

    static final Duration VALIDITY = Duration.ofDays(3650);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Subject fields shared by a CA and the certificates it issues. */
    record Subject(String country, String province, String locality, Optional<String> organizationalUnit) {
    }

    private final String name;
    private final Subject subject;
    private final KeyPair keys;
    private final X509Certificate certificate;
    private final byte[] subjectKeyId;
    private final Instant notBefore;

    private CertificateAuthority(String name, Subject subject, KeyPair keys, X509Certificate certificate, byte[] ski,
            Instant notBefore) {
        this.name = name;
        this.subject = subject;
        this.keys = keys;
        this.certificate = certificate;
        this.subjectKeyId = ski;
        this.notBefore = notBefore;
    }

    /** Makes the CA: a new key and a self-signed certificate for {@code name} in org {@code domain}. */
    static CertificateAuthority create(String domain, String name, Subject subject, Instant now) {
        KeyPair keys = Ecdsa.generateKeyPair();
        byte[] ski = Ecdsa.sha256(point((ECPublicKey) keys.getPublic()));
        Instant notBefore = cryptogenNotBefore(now);
        List<RDN> rdns = baseRdns(subject);
        rdns.add(rdn(BCStyle.O, domain));
        subject.organizationalUnit().ifPresent(ou -> rdns.add(rdn(BCStyle.OU, ou)));
        rdns.add(rdn(BCStyle.CN, name));
        X500Name x500 = new X500Name(rdns.toArray(RDN[]::new));
        try {
            X509v3CertificateBuilder b = builder(x500, x500, notBefore, keys.getPublic());
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment
                    | KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_serverAuth}));
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.subjectKeyIdentifier, false, new SubjectKeyIdentifier(ski));
            X509Certificate cert = sign(b, (ECPrivateKey) keys.getPrivate(), name);
            return new CertificateAuthority(name, subject, keys, cert, ski, notBefore);
        } catch (IOException e) {
            throw new CryptoMaterialException("cannot build the certificate of CA " + name, e);
        }
    }

    /**
     * Issues a leaf certificate.
     *
     * @param ous the OUs after the CA's own (the NodeOU role), empty for TLS certificates
     * @param sans DNS names and IP addresses (an entry that parses as an IP literal is an IP SAN)
     * @param keyUsage BouncyCastle {@link KeyUsage} bits
     * @param extendedKeyUsage empty for enrollment certificates
     */
    X509Certificate issue(String commonName, List<String> ous, List<String> sans, PublicKey publicKey, int keyUsage,
            List<KeyPurposeId> extendedKeyUsage) {
        List<RDN> rdns = baseRdns(subject);
        subject.organizationalUnit().ifPresent(ou -> rdns.add(rdn(BCStyle.OU, ou)));
        ous.forEach(ou -> rdns.add(rdn(BCStyle.OU, ou)));
        rdns.add(rdn(BCStyle.CN, commonName));
        try {
            X509v3CertificateBuilder b = builder(X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()),
                    new X500Name(rdns.toArray(RDN[]::new)), notBefore, publicKey);
            b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
            if (!extendedKeyUsage.isEmpty()) {
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(extendedKeyUsage.toArray(KeyPurposeId[]::new)));
            }
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(subjectKeyId));
            if (!sans.isEmpty()) {
                b.addExtension(Extension.subjectAlternativeName, false, subjectAltNames(sans));
            }
            return sign(b, (ECPrivateKey) keys.getPrivate(), commonName);
        } catch (IOException e) {
            throw new CryptoMaterialException("cannot build the certificate of " + commonName, e);
        }
    }

    String name() {
        return name;
    }

    X509Certificate certificate() {
        return certificate;
    }

    ECPrivateKey privateKey() {
        return (ECPrivateKey) keys.getPrivate();
    }

    /** Go's {@code time.Now().Round(time.Minute).Add(-5 * time.Minute)}. */
    static Instant cryptogenNotBefore(Instant now) {
        long seconds = now.getEpochSecond();
        long minute = Math.floorDiv(seconds, 60) * 60;
        Instant rounded = Instant.ofEpochSecond(seconds - minute >= 30 ? minute + 60 : minute);
        return rounded.minus(Duration.ofMinutes(5));
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, Instant notBefore, PublicKey key) {
        BigInteger serial = new BigInteger(128, RANDOM);
        return new X509v3CertificateBuilder(issuer, serial, Date.from(notBefore), Date.from(notBefore.plus(VALIDITY)),
                subject, SubjectPublicKeyInfo.getInstance(key.getEncoded()));
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, ECPrivateKey key, String what) {
        byte[] der;
        try {
            der = builder.build(new EcdsaContentSigner(key)).getEncoded();
        } catch (IOException e) {
            throw new CryptoMaterialException("cannot encode the certificate of " + what, e);
        }
        return Pem.certificateFromDer(der, what);
    }

    private static List<RDN> baseRdns(Subject subject) {
        List<RDN> rdns = new ArrayList<>();
        rdns.add(rdn(BCStyle.C, subject.country()));
        rdns.add(rdn(BCStyle.ST, subject.province()));
        rdns.add(rdn(BCStyle.L, subject.locality()));
        return rdns;
    }

    /** Go encodes a name attribute as PrintableString when it can, else UTF8String. */
    private static RDN rdn(ASN1ObjectIdentifier type, String value) {
        ASN1Encodable encoded = DERPrintableString.isPrintableString(value) ? new DERPrintableString(value) : new DERUTF8String(value);
        return new RDN(new AttributeTypeAndValue(type, encoded));
    }

    private static GeneralNames subjectAltNames(List<String> sans) {
        List<GeneralName> dns = new ArrayList<>();
        List<GeneralName> ips = new ArrayList<>();
        for (String san : sans) {
            if (isIpLiteral(san)) {
                ips.add(new GeneralName(GeneralName.iPAddress, san));
            } else {
                dns.add(new GeneralName(GeneralName.dNSName, san));
            }
        }
        dns.addAll(ips); // Go writes DNS names, then IP addresses
        return new GeneralNames(dns.toArray(GeneralName[]::new));
    }

    static boolean isIpLiteral(String s) {
        boolean v4 = s.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = s.contains(":") && s.matches("[0-9A-Fa-f:.]+");
        if (!v4 && !v6) {
            return false;
        }
        try {
            InetAddress.getByName(s);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static byte[] point(ECPublicKey key) {
        return SubjectPublicKeyInfo.getInstance(key.getEncoded()).getPublicKeyData().getBytes();
    }

    /** A BouncyCastle {@link ContentSigner} backed by {@link Ecdsa#sign} (ecdsa-with-SHA256, low-S). */
    private static final class EcdsaContentSigner implements ContentSigner {
        private final ECPrivateKey key;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1024);

        EcdsaContentSigner(ECPrivateKey key) {
            this.key = key;
        }

        @Override
        public AlgorithmIdentifier getAlgorithmIdentifier() {
            return new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);
        }

        @Override
        public OutputStream getOutputStream() {
            return buffer;
        }

        @Override
        public byte[] getSignature() {
            return Ecdsa.sign(key, buffer.toByteArray());
        }
    }
}
