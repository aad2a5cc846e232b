package io.fabsim.common.msp;

import com.google.protobuf.ByteString;
import io.fabsim.common.crypto.CryptoMaterialException;
import io.fabsim.common.crypto.EcdsaPublicKey;
import io.fabsim.common.crypto.IdentityVerifier;
import io.fabsim.common.crypto.Pem;
import io.fabsim.common.crypto.SignatureVerificationException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

/**
 * Validates serialized identities against a set of organizations' MSPs (a channel's, or the
 * orderer org's) and verifies their signatures, as Fabric's MSP manager does:
 *
 * <ul>
 *   <li>the MSP id names a known org; {@code id_bytes} is a PEM X.509 certificate;</li>
 *   <li>the certificate is not a CA certificate and chains, through the org's intermediates, to
 *       one of its root CAs; every certificate of the chain is valid at the leaf's NotBefore + 1 s
 *       (Fabric does not reject identities on the current time; see {@link #isExpired});</li>
 *   <li>with NodeOUs enabled, it carries exactly one role OU (client, peer, admin, orderer),
 *       issued by the CA the OU identifier names; the role comes from it. With NodeOUs
 *       disabled the role is ADMIN for a certificate in the org's admin certificates, else MEMBER;</li>
 *   <li>signatures are low-S DER ECDSA P-256 over SHA-256.</li>
 * </ul>
 *
 * Validated identities are cached by their serialized bytes (bounded: the cache is cleared when
 * full), so the hot path costs one map lookup plus one ECDSA verify. Thread-safe.
 */
public final class MspVerifier implements IdentityVerifier {

    /** Cached identities before the cache is cleared. */
    public static final int DEFAULT_CACHE_SIZE = 4096;

    private final Map<String, OrgMsp> orgs;
    private final Map<ByteString, ValidatedIdentity> cache = new ConcurrentHashMap<>();
    private final int cacheSize;

    public MspVerifier(Collection<OrgMsp> orgs) {
        this(orgs, DEFAULT_CACHE_SIZE);
    }

    public MspVerifier(Collection<OrgMsp> orgs, int cacheSize) {
        Map<String, OrgMsp> byId = new LinkedHashMap<>();
        for (OrgMsp org : orgs) {
            if (byId.put(org.mspId(), org) != null) {
                throw new CryptoMaterialException("MSP " + org.mspId() + " is defined twice");
            }
        }
        this.orgs = Map.copyOf(byId);
        this.cacheSize = Math.max(1, cacheSize);
    }

    public static MspVerifier of(OrgMsp... orgs) {
        return new MspVerifier(List.of(orgs));
    }

    public Optional<OrgMsp> org(String mspId) {
        return Optional.ofNullable(orgs.get(mspId));
    }

    public Collection<OrgMsp> orgs() {
        return orgs.values();
    }

    /**
     * Validates a serialized identity.
     *
     * @throws SignatureVerificationException {@code identity of Org1MSP: certificate not issued by
     *         the org's CA (issuer ..., expected one of [...])} and the like
     */
    public ValidatedIdentity validate(byte[] serializedIdentity) throws SignatureVerificationException {
        ByteString key = ByteString.copyFrom(serializedIdentity);
        ValidatedIdentity cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        ValidatedIdentity identity = validateUncached(serializedIdentity);
        if (cache.size() >= cacheSize) {
            cache.clear();
        }
        cache.put(key, identity);
        return identity;
    }

    /** Validates the identity and verifies its signature; returns the identity (for role checks). */
    public ValidatedIdentity verifyIdentity(byte[] serializedIdentity, byte[] message, byte[] signature)
            throws SignatureVerificationException {
        ValidatedIdentity identity = validate(serializedIdentity);
        identity.publicKey().verify("signature by " + identity.mspId() + " (" + identity.subject() + ")", message, signature);
        return identity;
    }

    @Override
    public String verify(byte[] serializedIdentity, byte[] message, byte[] signature) throws SignatureVerificationException {
        return verifyIdentity(serializedIdentity, message, signature).mspId();
    }

    /** True when {@code cert} is past its NotAfter (or before its NotBefore) at {@code now}. */
    public static boolean isExpired(X509Certificate cert, Instant now) {
        return now.isAfter(cert.getNotAfter().toInstant()) || now.isBefore(cert.getNotBefore().toInstant());
    }

    private ValidatedIdentity validateUncached(byte[] serializedIdentity) throws SignatureVerificationException {
        SerializedIdentity sid;
        try {
            sid = SerializedIdentities.parse(serializedIdentity);
        } catch (IllegalArgumentException e) {
            throw new SignatureVerificationException("identity: " + e.getMessage(), e);
        }
        String who = "identity of " + (sid.getMspid().isEmpty() ? "(no MSP id)" : sid.getMspid());
        OrgMsp org = orgs.get(sid.getMspid());
        if (org == null) {
            throw new SignatureVerificationException(who + ": MSP " + sid.getMspid() + " is not defined here (known: "
                    + orgs.keySet().stream().sorted().toList() + ")");
        }
        X509Certificate cert;
        EcdsaPublicKey publicKey;
        try {
            cert = Pem.parseCertificate(sid.getIdBytes().toByteArray(), "id_bytes");
            publicKey = EcdsaPublicKey.of(cert.getPublicKey(), "certificate");
        } catch (CryptoMaterialException e) {
            throw new SignatureVerificationException(who + ": " + e.getMessage(), e);
        }
        who = who + " (" + cert.getSubjectX500Principal().getName() + ")";
        if (cert.getBasicConstraints() >= 0) {
            throw new SignatureVerificationException(who + ": a CA certificate (Basic Constraints CA:TRUE) cannot be used as an identity");
        }
        List<X509Certificate> chain = CertChain.build(cert, org.rootCerts(), org.intermediateCerts())
                .orElseThrow(() -> new SignatureVerificationException(who(sid) + ": certificate not issued by the org's CA (issuer "
                        + cert.getIssuerX500Principal().getName() + ", expected one of "
                        + OrgMsp.subjects(concat(org.rootCerts(), org.intermediateCerts())) + ")"));
        checkValidityAtIssuance(who, chain);
        return new ValidatedIdentity(org.mspId(), cert, role(who, org, chain), publicKey);
    }

    private static String who(SerializedIdentity sid) {
        return "identity of " + sid.getMspid();
    }

    private static void checkValidityAtIssuance(String who, List<X509Certificate> chain) throws SignatureVerificationException {
        Date at = new Date(chain.get(0).getNotBefore().getTime() + 1000);
        for (X509Certificate c : chain) {
            try {
                c.checkValidity(at);
            } catch (CertificateExpiredException | CertificateNotYetValidException e) {
                throw new SignatureVerificationException(who + ": certificate " + c.getSubjectX500Principal().getName()
                        + " is not valid at " + at.toInstant() + " (valid " + c.getNotBefore().toInstant() + " to "
                        + c.getNotAfter().toInstant() + ")", e);
            }
        }
    }

    private static Role role(String who, OrgMsp org, List<X509Certificate> chain) throws SignatureVerificationException {
        NodeOUs ous = org.nodeOUs();
        if (!ous.enabled()) {
            return org.adminCerts().contains(chain.get(0)) ? Role.ADMIN : Role.MEMBER;
        }
        List<String> certOus = organizationalUnits(chain.get(0));
        X509Certificate issuer = chain.size() > 1 ? chain.get(1) : chain.get(0);
        List<Role> matched = new ArrayList<>();
        for (Role role : List.of(Role.CLIENT, Role.PEER, Role.ADMIN, Role.ORDERER)) {
            Optional<NodeOUs.OuIdentifier> id = ous.identifier(role);
            if (id.isPresent() && certOus.contains(id.get().organizationalUnit())
                    && id.get().certificate().map(issuer::equals).orElse(true)) {
                matched.add(role);
            }
        }
        if (matched.size() != 1) {
            throw new SignatureVerificationException(who + ": the identity must be a client, a peer, an orderer or an admin"
                    + " identity to be valid, not a combination of them (OUs " + certOus + " matched " + matched + ")");
        }
        return matched.get(0);
    }

    static List<String> organizationalUnits(X509Certificate cert) {
        List<String> ous = new ArrayList<>();
        X500Name name = X500Name.getInstance(
                cert.getSubjectX500Principal().getEncoded());
        for (RDN rdn : name.getRDNs(BCStyle.OU)) {
            for (AttributeTypeAndValue tv : rdn.getTypesAndValues()) {
                if (tv.getType().equals(BCStyle.OU)) {
                    ous.add(IETFUtils.valueToString(tv.getValue()));
                }
            }
        }
        return ous;
    }

    private static List<X509Certificate> concat(List<X509Certificate> a, List<X509Certificate> b) {
        List<X509Certificate> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
