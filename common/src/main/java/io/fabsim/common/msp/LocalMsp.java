package io.fabsim.common.msp;

import io.fabsim.common.crypto.CryptoMaterialException;
import io.fabsim.common.crypto.Ecdsa;
import io.fabsim.common.crypto.Pem;
import io.fabsim.common.crypto.SignatureVerificationException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.util.ArrayList;
import java.util.List;

/**
 * A node's or user's own MSP, loaded from Fabric's folder layout ({@code peer.mspConfigPath}):
 * {@code signcerts/} (the enrollment certificate), {@code keystore/} (its private key, any file
 * name, {@code priv_sk} from cryptogen), plus the org part ({@code cacerts/},
 * {@code intermediatecerts/}, {@code tlscacerts/}, {@code config.yaml}). Loading checks, as
 * Fabric's local MSP setup does, that the signing certificate is valid under its own org's CAs.
 */
public final class LocalMsp {

    private final OrgMsp orgMsp;
    private final SigningIdentity signingIdentity;
    private final ValidatedIdentity validated;

    private LocalMsp(OrgMsp orgMsp, SigningIdentity signingIdentity, ValidatedIdentity validated) {
        this.orgMsp = orgMsp;
        this.signingIdentity = signingIdentity;
        this.validated = validated;
    }

    /**
     * Loads the MSP folder {@code mspDir} for {@code mspId} (the {@code peer.localMspId}).
     *
     * @throws CryptoMaterialException naming the file and the problem (missing signcert, no key
     *         matching the certificate, corrupt PEM, wrong key type, certificate not issued by the
     *         org's CA)
     */
    public static LocalMsp load(String mspId, Path mspDir) {
        MspFolder folder = new MspFolder(mspDir);
        OrgMsp org = OrgMsp.fromFolder(mspId, mspDir);
        List<Path> signcerts = folder.files("signcerts");
        if (signcerts.isEmpty()) {
            throw new CryptoMaterialException(mspDir.resolve("signcerts") + ": expected the signing certificate, found no file");
        }
        Path certFile = signcerts.get(0);
        byte[] certPem = MspFolder.readFile(certFile);
        X509Certificate cert = Pem.parseCertificate(certPem, certFile.toString());
        ECPrivateKey key = matchingKey(folder, cert);
        ValidatedIdentity validated;
        try {
            validated = new MspVerifier(List.of(org)).validate(SerializedIdentities.serialize(mspId, certPem));
        } catch (SignatureVerificationException e) {
            throw new CryptoMaterialException(certFile + ": " + e.getMessage(), e);
        }
        return new LocalMsp(org, new SigningIdentity(mspId, cert, certPem, key), validated);
    }

    /** Loads only the signing identity (the common case for a node). */
    public static SigningIdentity loadSigningIdentity(String mspId, Path mspDir) {
        return load(mspId, mspDir).signingIdentity();
    }

    private static ECPrivateKey matchingKey(MspFolder folder, X509Certificate cert) {
        List<Path> keys = folder.files("keystore");
        if (keys.isEmpty()) {
            throw new CryptoMaterialException(folder.dir().resolve("keystore") + ": expected the private key, found no file");
        }
        List<String> problems = new ArrayList<>();
        for (Path file : keys) {
            ECPrivateKey key;
            try {
                key = Pem.readPrivateKey(file);
            } catch (CryptoMaterialException e) {
                problems.add(e.getMessage());
                continue;
            }
            if (Ecdsa.isKeyPair(key, cert.getPublicKey())) {
                return key;
            }
            problems.add(file + ": key does not match the signing certificate's public key");
        }
        if (problems.size() == 1) {
            throw new CryptoMaterialException(problems.get(0));
        }
        throw new CryptoMaterialException(folder.dir().resolve("keystore") + ": no private key matches the signing certificate "
                + cert.getSubjectX500Principal().getName() + ": " + problems);
    }

    public OrgMsp orgMsp() {
        return orgMsp;
    }

    public SigningIdentity signingIdentity() {
        return signingIdentity;
    }

    /** The signing identity's role in its org (PEER, ORDERER, ADMIN, CLIENT; MEMBER without NodeOUs). */
    public Role role() {
        return validated.role();
    }
}
