package io.fabsim.common.verify;

import io.fabsim.common.configtx.ChannelConfig;
import io.fabsim.common.configtx.OrgConfig;
import io.fabsim.common.crypto.SignatureVerificationException;
import io.fabsim.common.protoutil.SignedData;
import io.fabsim.common.testing.VectorIdentities;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicInteger;
import org.hyperledger.fabric.protos.common.MSPRole.MSPRoleType;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

/**
 * A test-only {@link SignerValidator} on the JDK: the creator's MSP must be an org of the config,
 * its certificate must be signed by one of that org's root certs, the role is the certificate's
 * OU, and the signature must verify. Counts validations.
 */
final class JdkSignerValidator implements SignerValidator {

    final AtomicInteger calls = new AtomicInteger();
    private final ChannelConfig config;

    JdkSignerValidator(ChannelConfig config) {
        this.config = config;
    }

    @Override
    public ValidSigner validate(SignedData data) throws SignatureVerificationException {
        calls.incrementAndGet();
        try {
            SerializedIdentity id = SerializedIdentity.parseFrom(data.identity());
            OrgConfig org = config.org(id.getMspid())
                    .orElseThrow(() -> new SignatureVerificationException("unknown MSP " + id.getMspid()));
            X509Certificate cert = VectorIdentities.certificate(data.identity());
            boolean chained = false;
            for (var root : org.rootCerts()) {
                X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(root.toByteArray()));
                try {
                    cert.verify(ca.getPublicKey());
                    chained = true;
                } catch (java.security.GeneralSecurityException e) {
                    // try the next root
                }
            }
            if (!chained) {
                throw new SignatureVerificationException("not issued by " + org.mspId());
            }
            if (!VectorIdentities.verifies(data.identity(), data.data(), data.signature())) {
                throw new SignatureVerificationException("bad signature");
            }
            String subject = cert.getSubjectX500Principal().getName();
            MSPRoleType role = subject.contains("OU=orderer") ? MSPRoleType.ORDERER
                    : subject.contains("OU=admin") ? MSPRoleType.ADMIN
                    : subject.contains("OU=peer") ? MSPRoleType.PEER
                    : subject.contains("OU=client") ? MSPRoleType.CLIENT : MSPRoleType.MEMBER;
            return new ValidSigner(id.getMspid(), role, data.identity());
        } catch (SignatureVerificationException e) {
            throw e;
        } catch (Exception e) {
            throw new SignatureVerificationException("invalid identity: " + e.getMessage(), e);
        }
    }
}
