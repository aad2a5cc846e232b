package io.fabsim.gossip.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.fabsim.common.crypto.IdentityVerifier;
import io.fabsim.common.crypto.SignatureVerificationException;
import io.fabsim.common.crypto.Signer;
import io.fabsim.common.protoutil.BlockHashing;
import io.fabsim.gossip.Hex;
import io.fabsim.gossip.SignedMessages;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.hyperledger.fabric.protos.gossip.ConnEstablish;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

/**
 * Fabric's gossip connection handshake ({@code comm_impl.go authenticateRemotePeer}): the first
 * message each way is a signed {@code ConnEstablish{pki_id, identity, tls_cert_hash}}. The receiver
 * checks the identity belongs to its own organization and signed the message, that the PKI-ID is the
 * identity's, and, when the remote presented a TLS certificate, that {@code tls_cert_hash} is the
 * SHA-256 of that certificate (binding the identity to the TLS session).
 */
final class Handshake {

    /** A remote peer that passed the handshake, with its serialized identity. */
    record Authenticated(ByteString pkiId, String name, String mspId, ByteString identity) {
    }

    private final Signer signer;
    private final IdentityVerifier verifier;
    private final ByteString ownTlsCertHash;
    private final ByteString localPkiId;

    Handshake(Signer signer, IdentityVerifier verifier, byte[] ownTlsCertDer) {
        this.signer = signer;
        this.verifier = verifier;
        this.ownTlsCertHash = ownTlsCertDer == null ? ByteString.EMPTY : ByteString.copyFrom(BlockHashing.sha256(ownTlsCertDer));
        this.localPkiId = pkiIdOf(signer.serializedIdentity());
    }

    ByteString localPkiId() {
        return localPkiId;
    }

    /** This peer's signed ConnEstablish. */
    Envelope connEstablish() {
        GossipMessage message = GossipMessage.newBuilder().setTag(GossipMessage.Tag.EMPTY)
                .setConn(ConnEstablish.newBuilder().setPkiId(localPkiId)
                        .setIdentity(ByteString.copyFrom(signer.serializedIdentity())).setTlsCertHash(ownTlsCertHash))
                .build();
        byte[] payload = message.toByteArray();
        return Envelope.newBuilder().setPayload(ByteString.copyFrom(payload))
                .setSignature(ByteString.copyFrom(signer.sign(payload))).build();
    }

    /**
     * Checks a remote's first message.
     *
     * @param remoteTlsCertDer the certificate the remote presented in the TLS handshake, or null
     */
    Authenticated verify(Envelope envelope, byte[] remoteTlsCertDer, String remote) throws HandshakeException {
        ConnEstablish conn = connEstablishOf(envelope, remote);
        byte[] identity = conn.getIdentity().toByteArray();
        ByteString pkiId = pkiIdOf(identity);
        if (!pkiId.equals(conn.getPkiId())) {
            throw new HandshakeException(remote + ": PKI-ID " + hex(conn.getPkiId()) + " is not that of its identity ("
                    + hex(pkiId) + ")");
        }
        String mspId;
        try {
            mspId = verifier.verify(identity, envelope.getPayload().toByteArray(), envelope.getSignature().toByteArray());
        } catch (SignatureVerificationException e) {
            throw new HandshakeException(remote + ": identity or signature refused: " + e.getMessage(), e);
        }
        if (!signer.mspId().equals(mspId)) {
            throw new HandshakeException(remote + ": peer of organization " + mspId + ", expected " + signer.mspId()
                    + " (gossip stays inside the organization)");
        }
        if (remoteTlsCertDer != null) {
            byte[] expected = BlockHashing.sha256(remoteTlsCertDer);
            if (!Arrays.equals(expected, conn.getTlsCertHash().toByteArray())) {
                throw new HandshakeException(remote + ": TLS binding mismatch: the ConnEstablish carries TLS cert hash "
                        + hex(conn.getTlsCertHash()) + " but the TLS certificate presented hashes to "
                        + HexFormat.of().formatHex(expected));
            }
        }
        return new Authenticated(pkiId, nameOf(identity, pkiId), mspId, conn.getIdentity());
    }

    private static ConnEstablish connEstablishOf(Envelope envelope, String remote) throws HandshakeException {
        try {
            GossipMessage message = GossipMessage.parseFrom(envelope.getPayload());
            if (!message.hasConn()) {
                throw new HandshakeException(remote + ": first message is " + message.getContentCase()
                        + ", expected a ConnEstablish");
            }
            return message.getConn();
        } catch (InvalidProtocolBufferException e) {
            throw new HandshakeException(remote + ": first message is not a GossipMessage: " + e.getMessage(), e);
        }
    }

    static ByteString pkiIdOf(byte[] serializedIdentity) {
        return SignedMessages.pkiIdOf(serializedIdentity);
    }

    static String nameOf(byte[] serializedIdentity, ByteString pkiId) {
        try {
            SerializedIdentity sid = SerializedIdentity.parseFrom(serializedIdentity);
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(sid.getIdBytes().toByteArray()));
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return String.valueOf(rdn.getValue());
                }
            }
        } catch (InvalidProtocolBufferException | CertificateException | InvalidNameException | RuntimeException e) {
            // fall through to the PKI-ID
        }
        return hex(pkiId);
    }

    static String hex(ByteString bytes) {
        return Hex.short16(bytes);
    }
}
