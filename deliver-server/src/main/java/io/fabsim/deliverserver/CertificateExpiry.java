package io.fabsim.deliverserver;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Optional;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

/**
 * When a serialized identity's certificate expires (Fabric's {@code crypto.ExpiresAt}): the
 * certificate's NotAfter, or empty when the identity is not an X.509 identity, in which case there
 * is no expiry to enforce.
 */
public final class CertificateExpiry {

    private CertificateExpiry() {
    }

    public static Optional<Instant> expiresAt(byte[] serializedIdentity) {
        try {
            SerializedIdentity identity = SerializedIdentity.parseFrom(serializedIdentity);
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            X509Certificate certificate = (X509Certificate) factory.generateCertificate(
                    new ByteArrayInputStream(identity.getIdBytes().toByteArray()));
            return Optional.of(certificate.getNotAfter().toInstant());
        } catch (com.google.protobuf.InvalidProtocolBufferException | CertificateException | ClassCastException e) {
            return Optional.empty();
        }
    }
}
