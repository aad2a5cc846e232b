package io.fabsim.common.msp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabsim.common.crypto.CryptoMaterialException;
import io.fabsim.common.crypto.Ecdsa;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Root -> intermediate -> leaf chains, and validity checked at the leaf's NotBefore + 1 s. */
class IntermediateChainTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static KeyPair rootKeys;
    private static KeyPair intermediateKeys;
    private static X509Certificate root;
    private static X509Certificate intermediate;

    @BeforeAll
    static void makeCas() throws Exception {
        rootKeys = Ecdsa.generateKeyPair();
        intermediateKeys = Ecdsa.generateKeyPair();
        root = cert("CN=root.org9", "CN=root.org9", rootKeys, rootKeys, true, T0, T0.plusSeconds(86_400 * 365));
        intermediate = cert("CN=root.org9", "CN=ica.org9", intermediateKeys, rootKeys, true, T0, T0.plusSeconds(86_400 * 365));
    }

    static X509Certificate cert(String issuer, String subject, KeyPair subjectKeys, KeyPair issuerKeys, boolean ca,
            Instant from, Instant to) throws Exception {
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer), BigInteger.valueOf(from.toEpochMilli()),
                Date.from(from), Date.from(to), new X500Name(subject), subjectKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    }

    private static OrgMsp org(List<X509Certificate> intermediates, NodeOUs ous) {
        return OrgMsp.ofCertificates("Org9MSP", List.of(root), intermediates, List.of(), List.of(), ous);
    }

    @Test
    void leafIssuedByAnIntermediateValidatesWithItsRoleAndSigns() throws Exception {
        KeyPair leafKeys = Ecdsa.generateKeyPair();
        X509Certificate leaf = cert("CN=ica.org9", "OU=peer,CN=peer0.org9", leafKeys, intermediateKeys, false, T0, T0.plusSeconds(86_400));
        NodeOUs ous = new NodeOUs(true, null, new NodeOUs.OuIdentifier("peer", Optional.of(intermediate)), null, null);
        MspVerifier verifier = MspVerifier.of(org(List.of(intermediate), ous));
        byte[] message = "m".getBytes(StandardCharsets.UTF_8);
        byte[] id = SerializedIdentities.serialize("Org9MSP", leaf);
        assertThat(verifier.verifyIdentity(id, message, Ecdsa.sign(leafKeys.getPrivate(), message)).role()).isEqualTo(Role.PEER);

        assertThatThrownBy(() -> MspVerifier.of(org(List.of(), ous)).validate(id))
                .hasMessage("identity of Org9MSP: certificate not issued by the org's CA (issuer CN=ica.org9, expected one of [CN=root.org9])");
        NodeOUs rootIssued = new NodeOUs(true, null, new NodeOUs.OuIdentifier("peer", Optional.of(root)), null, null);
        assertThatThrownBy(() -> MspVerifier.of(org(List.of(intermediate), rootIssued)).validate(id))
                .hasMessageContaining("OUs [peer] matched []");
    }

    @Test
    void chainIsCheckedAtTheLeafsNotBeforeNotNow() throws Exception {
        KeyPair leafKeys = Ecdsa.generateKeyPair();
        Instant afterRootExpiry = T0.plusSeconds(86_400 * 400);
        X509Certificate late = cert("CN=root.org9", "CN=late.org9", leafKeys, rootKeys, false, afterRootExpiry,
                afterRootExpiry.plusSeconds(86_400));
        assertThatThrownBy(() -> MspVerifier.of(org(List.of(), NodeOUs.disabled())).validate(SerializedIdentities.serialize("Org9MSP", late)))
                .hasMessageContaining("certificate CN=root.org9 is not valid at 2027-02-05T00:00:01Z");
        X509Certificate early = cert("CN=root.org9", "CN=early.org9", leafKeys, rootKeys, false, T0.plusSeconds(60), T0.plusSeconds(120));
        // Long expired today, yet valid for the MSP: Fabric leaves expiry to explicit checks.
        ValidatedIdentity id = MspVerifier.of(org(List.of(), NodeOUs.disabled())).validate(SerializedIdentities.serialize("Org9MSP", early));
        assertThat(id.role()).isEqualTo(Role.MEMBER);
        assertThat(id.isExpiredAt(Instant.parse("2030-01-01T00:00:00Z"))).isTrue();
    }

    @Test
    void anIntermediateThatDoesNotChainToARootIsRefused() throws Exception {
        KeyPair otherKeys = Ecdsa.generateKeyPair();
        X509Certificate stray = cert("CN=elsewhere", "CN=stray.ica", otherKeys, otherKeys, true, T0, T0.plusSeconds(86_400));
        assertThatThrownBy(() -> org(List.of(stray), NodeOUs.disabled()))
                .isInstanceOf(CryptoMaterialException.class)
                .hasMessage("Org9MSP: intermediate certificate CN=stray.ica does not chain to a root CA");
    }
}
