package io.fabsim.common.msp;

import com.google.protobuf.ByteString;
import io.fabsim.common.crypto.CryptoMaterialException;
import io.fabsim.common.crypto.Pem;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hyperledger.fabric.protos.msp.FabricCryptoConfig;
import org.hyperledger.fabric.protos.msp.FabricMSPConfig;
import org.hyperledger.fabric.protos.msp.FabricNodeOUs;
import org.hyperledger.fabric.protos.msp.FabricOUIdentifier;

/**
 * What a channel knows about one organization's MSP: its id, the root and intermediate CAs that
 * issue its identities, the TLS root and intermediate CAs of its nodes, and its NodeOU settings.
 * Built from an MSP folder ({@link #fromFolder}), from PEM lists ({@link #of}), or from a channel
 * config's {@code FabricMSPConfig} ({@link #fromFabricMspConfig}). Immutable.
 */
public final class OrgMsp {

    private final String mspId;
    private final List<X509Certificate> rootCerts;
    private final List<X509Certificate> intermediateCerts;
    private final List<X509Certificate> tlsRootCerts;
    private final List<X509Certificate> tlsIntermediateCerts;
    private final NodeOUs nodeOUs;
    private final List<X509Certificate> adminCerts;

    private OrgMsp(String mspId, List<X509Certificate> rootCerts, List<X509Certificate> intermediateCerts,
            List<X509Certificate> tlsRootCerts, List<X509Certificate> tlsIntermediateCerts, NodeOUs nodeOUs) {
        this(mspId, rootCerts, intermediateCerts, tlsRootCerts, tlsIntermediateCerts, nodeOUs, List.of());
    }

    private OrgMsp(String mspId, List<X509Certificate> rootCerts, List<X509Certificate> intermediateCerts,
            List<X509Certificate> tlsRootCerts, List<X509Certificate> tlsIntermediateCerts, NodeOUs nodeOUs,
            List<X509Certificate> adminCerts) {
        if (mspId == null || mspId.isBlank()) {
            throw new CryptoMaterialException("an MSP needs a non-empty MSP id");
        }
        if (rootCerts.isEmpty()) {
            throw new CryptoMaterialException(mspId + ": an MSP needs at least one root CA certificate, got none");
        }
        this.mspId = mspId;
        this.rootCerts = List.copyOf(rootCerts);
        this.intermediateCerts = List.copyOf(intermediateCerts);
        this.tlsRootCerts = List.copyOf(tlsRootCerts);
        this.tlsIntermediateCerts = List.copyOf(tlsIntermediateCerts);
        this.nodeOUs = nodeOUs == null ? NodeOUs.disabled() : nodeOUs;
        this.adminCerts = List.copyOf(adminCerts);
        for (X509Certificate root : this.rootCerts) {
            if (root.getBasicConstraints() < 0) {
                throw new CryptoMaterialException(mspId + ": root certificate " + root.getSubjectX500Principal().getName()
                        + " is not a CA certificate (Basic Constraints CA:FALSE)");
            }
        }
        for (X509Certificate intermediate : this.intermediateCerts) {
            CertChain.build(intermediate, this.rootCerts, this.intermediateCerts)
                    .orElseThrow(() -> new CryptoMaterialException(mspId + ": intermediate certificate "
                            + intermediate.getSubjectX500Principal().getName() + " does not chain to a root CA"));
        }
    }

    /**
     * An MSP from PEM bytes, as the configtx parser finds them in a channel config. Each element
     * may hold one or more certificates.
     */
    public static OrgMsp of(String mspId, List<byte[]> rootPems, List<byte[]> intermediatePems,
            List<byte[]> tlsRootPems, List<byte[]> tlsIntermediatePems, NodeOUs nodeOUs) {
        return new OrgMsp(mspId, parse(mspId, "root CA", rootPems), parse(mspId, "intermediate CA", intermediatePems),
                parse(mspId, "TLS root CA", tlsRootPems), parse(mspId, "TLS intermediate CA", tlsIntermediatePems), nodeOUs);
    }

    /** An MSP from certificates already parsed. */
    public static OrgMsp ofCertificates(String mspId, List<X509Certificate> rootCerts,
            List<X509Certificate> intermediateCerts, List<X509Certificate> tlsRootCerts,
            List<X509Certificate> tlsIntermediateCerts, NodeOUs nodeOUs) {
        return new OrgMsp(mspId, rootCerts, intermediateCerts, tlsRootCerts, tlsIntermediateCerts, nodeOUs);
    }

    /**
     * Reads Fabric's MSP folder layout: {@code cacerts/} (required), {@code intermediatecerts/},
     * {@code tlscacerts/}, {@code tlsintermediatecerts/}, {@code admincerts/} and {@code config.yaml} (NodeOUs).
     */
    public static OrgMsp fromFolder(String mspId, Path mspDir) {
        MspFolder folder = new MspFolder(mspDir);
        return new OrgMsp(mspId, folder.requiredCerts("cacerts"), folder.optionalCerts("intermediatecerts"),
                folder.optionalCerts("tlscacerts"), folder.optionalCerts("tlsintermediatecerts"), folder.nodeOUs(),
                folder.optionalCerts("admincerts"));
    }

    /** An MSP from a channel config's {@code FabricMSPConfig} (the MSP id is its {@code name}). */
    public static OrgMsp fromFabricMspConfig(FabricMSPConfig config) {
        String mspId = config.getName();
        NodeOUs nodeOUs = NodeOUs.disabled();
        if (config.hasFabricNodeOus()) {
            FabricNodeOUs ous = config.getFabricNodeOus();
            nodeOUs = new NodeOUs(ous.getEnable(), ou(mspId, ous.hasClientOuIdentifier(), ous.getClientOuIdentifier()),
                    ou(mspId, ous.hasPeerOuIdentifier(), ous.getPeerOuIdentifier()),
                    ou(mspId, ous.hasAdminOuIdentifier(), ous.getAdminOuIdentifier()),
                    ou(mspId, ous.hasOrdererOuIdentifier(), ous.getOrdererOuIdentifier()));
        }
        return of(mspId, bytes(config.getRootCertsList()), bytes(config.getIntermediateCertsList()),
                bytes(config.getTlsRootCertsList()), bytes(config.getTlsIntermediateCertsList()), nodeOUs)
                .withAdminCerts(parse(mspId, "admin", bytes(config.getAdminsList())));
    }

    /**
     * A copy with these admin certificates (Fabric's {@code admincerts/}, a config's {@code admins}).
     * With NodeOUs disabled they are how an identity gets {@link Role#ADMIN}.
     */
    public OrgMsp withAdminCerts(List<X509Certificate> admins) {
        return new OrgMsp(mspId, rootCerts, intermediateCerts, tlsRootCerts, tlsIntermediateCerts, nodeOUs, admins);
    }

    /**
     * This MSP as a channel config's {@code FabricMSPConfig}, as configtxgen writes it: PEM
     * certificates, SHA-256 crypto config, NodeOUs, admins from {@code admincerts/} (none with NodeOUs).
     */
    public FabricMSPConfig toFabricMspConfig() {
        FabricMSPConfig.Builder b = FabricMSPConfig.newBuilder().setName(mspId)
                .setCryptoConfig(FabricCryptoConfig.newBuilder()
                        .setSignatureHashFamily("SHA2").setIdentityIdentifierHashFunction("SHA256"));
        rootCerts.forEach(c -> b.addRootCerts(ByteString.copyFrom(Pem.encodeCertificate(c))));
        intermediateCerts.forEach(c -> b.addIntermediateCerts(ByteString.copyFrom(Pem.encodeCertificate(c))));
        tlsRootCerts.forEach(c -> b.addTlsRootCerts(ByteString.copyFrom(Pem.encodeCertificate(c))));
        tlsIntermediateCerts.forEach(c -> b.addTlsIntermediateCerts(ByteString.copyFrom(Pem.encodeCertificate(c))));
        adminCerts.forEach(c -> b.addAdmins(ByteString.copyFrom(Pem.encodeCertificate(c))));
        if (nodeOUs.enabled()) {
            FabricNodeOUs.Builder ous = FabricNodeOUs.newBuilder().setEnable(true);
            nodeOUIdentifier(nodeOUs.client()).ifPresent(ous::setClientOuIdentifier);
            nodeOUIdentifier(nodeOUs.peer()).ifPresent(ous::setPeerOuIdentifier);
            nodeOUIdentifier(nodeOUs.admin()).ifPresent(ous::setAdminOuIdentifier);
            nodeOUIdentifier(nodeOUs.orderer()).ifPresent(ous::setOrdererOuIdentifier);
            b.setFabricNodeOus(ous);
        }
        return b.build();
    }

    public String mspId() {
        return mspId;
    }

    public List<X509Certificate> rootCerts() {
        return rootCerts;
    }

    public List<X509Certificate> intermediateCerts() {
        return intermediateCerts;
    }

    public List<X509Certificate> tlsRootCerts() {
        return tlsRootCerts;
    }

    public List<X509Certificate> tlsIntermediateCerts() {
        return tlsIntermediateCerts;
    }

    public NodeOUs nodeOUs() {
        return nodeOUs;
    }

    /** Admin certificates ({@code admincerts/}); empty with cryptogen's NodeOUs. */
    public List<X509Certificate> adminCerts() {
        return adminCerts;
    }

    /** The root CA certificates as PEM (Go's pem.Encode form), e.g. for a channel config. */
    public List<byte[]> rootCertPems() {
        return rootCerts.stream().map(Pem::encodeCertificate).toList();
    }

    /** The TLS root CA certificates as PEM. */
    public List<byte[]> tlsRootCertPems() {
        return tlsRootCerts.stream().map(Pem::encodeCertificate).toList();
    }

    @Override
    public String toString() {
        return "OrgMsp[" + mspId + ", roots=" + subjects(rootCerts) + ", nodeOUs=" + nodeOUs.enabled() + "]";
    }

    static List<String> subjects(List<X509Certificate> certs) {
        return certs.stream().map(c -> c.getSubjectX500Principal().getName()).toList();
    }

    private static List<X509Certificate> parse(String mspId, String what, List<byte[]> pems) {
        List<X509Certificate> certs = new ArrayList<>();
        for (int i = 0; i < pems.size(); i++) {
            certs.addAll(Pem.parseCertificates(pems.get(i), mspId + " " + what + " certificate " + i));
        }
        return certs;
    }

    private static List<byte[]> bytes(List<ByteString> list) {
        return list.stream().map(ByteString::toByteArray).toList();
    }

    private static NodeOUs.OuIdentifier ou(String mspId, boolean present, FabricOUIdentifier id) {
        if (!present || id.getOrganizationalUnitIdentifier().isEmpty()) {
            return null;
        }
        Optional<X509Certificate> cert = id.getCertificate().isEmpty() ? Optional.empty()
                : Optional.of(Pem.parseCertificate(id.getCertificate().toByteArray(),
                        mspId + " NodeOU " + id.getOrganizationalUnitIdentifier() + " certificate"));
        return new NodeOUs.OuIdentifier(id.getOrganizationalUnitIdentifier(), cert);
    }

    private static Optional<FabricOUIdentifier> nodeOUIdentifier(NodeOUs.OuIdentifier id) {
        if (id == null) {
            return Optional.empty();
        }
        FabricOUIdentifier.Builder b = FabricOUIdentifier.newBuilder().setOrganizationalUnitIdentifier(id.organizationalUnit());
        id.certificate().ifPresent(c -> b.setCertificate(ByteString.copyFrom(Pem.encodeCertificate(c))));
        return Optional.of(b.build());
    }
}
