package io.fabsim.tools.cryptogen;

import io.fabsim.common.crypto.CryptoMaterialException;
import io.fabsim.common.crypto.Ecdsa;
import io.fabsim.common.crypto.Pem;
import io.fabsim.common.time.Clock;
import io.fabsim.tools.cryptogen.CryptogenConfig.NodeSpec;
import io.fabsim.tools.cryptogen.CryptogenConfig.OrgSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * Writes crypto material in exactly Fabric's cryptogen layout:
 *
 * <pre>
 * ordererOrganizations/&lt;domain&gt;/{ca,tlsca,msp,orderers/&lt;node&gt;/{msp,tls},users/Admin@&lt;domain&gt;/{msp,tls}}
 * peerOrganizations/&lt;domain&gt;/{ca,tlsca,msp,peers/&lt;node&gt;/{msp,tls},users/{User1..N,Admin}@&lt;domain&gt;/{msp,tls}}
 * </pre>
 *
 * with P-256 CAs, enrollment certificates carrying the NodeOU role (client, peer, admin,
 * orderer) when NodeOUs are enabled, TLS certificates with EKU serverAuth + clientAuth and the
 * node's SANs, PKCS#8 {@code priv_sk} keys and NodeOU {@code config.yaml} files.
 */
public final class CryptoGenerator {

    /** What one run wrote: the org folders and the number of signing identities (nodes and users). */
    public record Result(List<Path> orgDirs, int identities) {
    }

    private enum NodeType {
        CLIENT("client"), PEER("peer"), ADMIN("admin"), ORDERER("orderer");

        private final String ou;

        NodeType(String ou) {
            this.ou = ou;
        }
    }

    private final Instant now;

    private CryptoGenerator(Instant now) {
        this.now = now;
    }

    /**
     * Generates every org of {@code config} under {@code outputDir}.
     *
     * @throws CryptoMaterialException when an org folder already exists (nothing is overwritten)
     *         or a file cannot be written
     */
    public static Result generate(CryptogenConfig config, Path outputDir, Clock clock) {
        for (OrgSpec org : config.ordererOrgs()) {
            refuseExisting(outputDir.resolve("ordererOrganizations").resolve(org.domain()));
        }
        for (OrgSpec org : config.peerOrgs()) {
            refuseExisting(outputDir.resolve("peerOrganizations").resolve(org.domain()));
        }
        CryptoGenerator generator = new CryptoGenerator(clock.now());
        List<Path> dirs = new ArrayList<>();
        int identities = 0;
        for (OrgSpec org : config.peerOrgs()) {
            Path dir = outputDir.resolve("peerOrganizations").resolve(org.domain());
            identities += generator.org(dir, org, "peers", NodeType.PEER, org.users());
            dirs.add(dir);
        }
        for (OrgSpec org : config.ordererOrgs()) {
            Path dir = outputDir.resolve("ordererOrganizations").resolve(org.domain());
            identities += generator.org(dir, org, "orderers", NodeType.ORDERER, 0);
            dirs.add(dir);
        }
        return new Result(List.copyOf(dirs), identities);
    }

    private static void refuseExisting(Path orgDir) {
        if (Files.exists(orgDir)) {
            throw new CryptoMaterialException(orgDir + " already exists: remove it or choose another --output (nothing was written)");
        }
    }

    private int org(Path orgDir, OrgSpec org, String nodesFolder, NodeType nodeType, int users) {
        CryptogenConfig.CaSpec caSpec = org.ca();
        CertificateAuthority.Subject subject = new CertificateAuthority.Subject(caSpec.country(), caSpec.province(),
                caSpec.locality(), caSpec.organizationalUnit());
        CertificateAuthority signCa = CertificateAuthority.create(org.domain(), caSpec.commonName(), subject, now);
        CertificateAuthority tlsCa = CertificateAuthority.create(org.domain(), "tls" + caSpec.commonName(), subject, now);
        writeCa(orgDir.resolve("ca"), signCa);
        writeCa(orgDir.resolve("tlsca"), tlsCa);
        boolean nodeOUs = org.enableNodeOUs();

        Path msp = orgDir.resolve("msp");
        mkdirs(msp.resolve("admincerts"), msp.resolve("cacerts"), msp.resolve("tlscacerts"));
        write(msp.resolve("cacerts").resolve(certFile(signCa.name())), Pem.encodeCertificate(signCa.certificate()));
        write(msp.resolve("tlscacerts").resolve(certFile(tlsCa.name())), Pem.encodeCertificate(tlsCa.certificate()));
        if (nodeOUs) {
            write(msp.resolve("config.yaml"), nodeOUsYaml(signCa.name()));
        }

        List<Path> nodeMsps = new ArrayList<>();
        for (NodeSpec node : org.nodes()) {
            Path dir = orgDir.resolve(nodesFolder).resolve(node.commonName());
            localMsp(dir, node.commonName(), node.sans(), signCa, tlsCa, nodeType, nodeOUs);
            nodeMsps.add(dir.resolve("msp"));
        }
        for (int i = 1; i <= users; i++) {
            String user = "User" + i + "@" + org.domain();
            localMsp(orgDir.resolve("users").resolve(user), user, List.of(), signCa, tlsCa, NodeType.CLIENT, nodeOUs);
        }
        String admin = "Admin@" + org.domain();
        localMsp(orgDir.resolve("users").resolve(admin), admin, List.of(), signCa, tlsCa,
                nodeOUs ? NodeType.ADMIN : NodeType.CLIENT, nodeOUs);
        if (!nodeOUs) {
            Path adminCert = orgDir.resolve("users").resolve(admin).resolve("msp/signcerts").resolve(certFile(admin));
            nodeMsps.add(msp);
            for (Path target : nodeMsps) {
                replaceAdminCerts(target.resolve("admincerts"), adminCert);
            }
        }
        return org.nodes().size() + users + 1;
    }

    private void localMsp(Path baseDir, String name, List<String> sans, CertificateAuthority signCa,
            CertificateAuthority tlsCa, NodeType type, boolean nodeOUs) {
        Path msp = baseDir.resolve("msp");
        Path tls = baseDir.resolve("tls");
        mkdirs(msp.resolve("admincerts"), msp.resolve("cacerts"), msp.resolve("tlscacerts"), msp.resolve("keystore"),
                msp.resolve("signcerts"), tls);

        KeyPair keys = Ecdsa.generateKeyPair();
        writeKey(msp.resolve("keystore/priv_sk"), (ECPrivateKey) keys.getPrivate());
        X509Certificate cert = signCa.issue(name, nodeOUs ? List.of(type.ou) : List.of(), List.of(), keys.getPublic(),
                KeyUsage.digitalSignature, List.of());
        byte[] certPem = Pem.encodeCertificate(cert);
        write(msp.resolve("signcerts").resolve(certFile(name)), certPem);
        write(msp.resolve("cacerts").resolve(certFile(signCa.name())), Pem.encodeCertificate(signCa.certificate()));
        write(msp.resolve("tlscacerts").resolve(certFile(tlsCa.name())), Pem.encodeCertificate(tlsCa.certificate()));
        if (nodeOUs) {
            write(msp.resolve("config.yaml"), nodeOUsYaml(signCa.name()));
        } else {
            write(msp.resolve("admincerts").resolve(certFile(name)), certPem);
        }

        KeyPair tlsKeys = Ecdsa.generateKeyPair();
        X509Certificate tlsCert = tlsCa.issue(name, List.of(), sans, tlsKeys.getPublic(),
                KeyUsage.digitalSignature | KeyUsage.keyEncipherment,
                List.of(KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth));
        String prefix = type == NodeType.CLIENT || type == NodeType.ADMIN ? "client" : "server";
        write(tls.resolve("ca.crt"), Pem.encodeCertificate(tlsCa.certificate()));
        write(tls.resolve(prefix + ".crt"), Pem.encodeCertificate(tlsCert));
        writeKey(tls.resolve(prefix + ".key"), (ECPrivateKey) tlsKeys.getPrivate());
    }

    private static void writeCa(Path dir, CertificateAuthority ca) {
        mkdirs(dir);
        write(dir.resolve(certFile(ca.name())), Pem.encodeCertificate(ca.certificate()));
        writeKey(dir.resolve("priv_sk"), ca.privateKey());
    }

    /** {@code msp/config.yaml} byte for byte as Fabric's cryptogen writes it (yaml.Marshal). */
    static byte[] nodeOUsYaml(String caName) {
        String cert = "cacerts/" + certFile(caName);
        StringBuilder yaml = new StringBuilder("NodeOUs:\n  Enable: true\n");
        for (String[] ou : new String[][] {{"Client", "client"}, {"Peer", "peer"}, {"Admin", "admin"}, {"Orderer", "orderer"}}) {
            yaml.append("  ").append(ou[0]).append("OUIdentifier:\n")
                    .append("    Certificate: ").append(cert).append('\n')
                    .append("    OrganizationalUnitIdentifier: ").append(ou[1]).append('\n');
        }
        return yaml.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String certFile(String name) {
        return name + "-cert.pem";
    }

    private static void replaceAdminCerts(Path adminCerts, Path adminCert) {
        try (Stream<Path> old = Files.list(adminCerts)) {
            for (Path p : old.toList()) {
                Files.delete(p);
            }
            Files.copy(adminCert, adminCerts.resolve(adminCert.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new CryptoMaterialException(adminCerts + ": cannot copy the admin certificate (" + e + ")", e);
        }
    }

    private static void mkdirs(Path... dirs) {
        for (Path dir : dirs) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new CryptoMaterialException(dir + ": cannot create (" + e + ")", e);
            }
        }
    }

    private static void write(Path file, byte[] content) {
        try {
            Files.write(file, content);
        } catch (IOException e) {
            throw new CryptoMaterialException(file + ": cannot write (" + e + ")", e);
        }
    }

    private static void writeKey(Path file, ECPrivateKey key) {
        write(file, Pem.encodePrivateKey(key));
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (IOException e) {
                throw new CryptoMaterialException(file + ": cannot restrict permissions (" + e + ")", e);
            }
        }
    }
}
