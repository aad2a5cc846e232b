package io.fabsim.gossip;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.fabsim.common.crypto.Signer;
import io.fabsim.common.protoutil.BlockHashing;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.hyperledger.fabric.protos.gossip.Secret;
import org.hyperledger.fabric.protos.gossip.SecretEnvelope;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

/**
 * Fabric's signing of gossip messages ({@code protoext/signing.go}): the envelope's payload is the
 * marshaled {@code GossipMessage} and its signature the identity's over those bytes; an alive
 * message may carry a {@code SecretEnvelope} (the internal endpoint, signed too) that is stripped
 * before it leaves the organization. Also the PKI-ID and the StateInfo channel MAC.
 */
public final class SignedMessages {

    private SignedMessages() {
    }

    /** A signed envelope of {@code message}. */
    public static Envelope sign(GossipMessage message, Signer signer) {
        byte[] payload = message.toByteArray();
        return Envelope.newBuilder().setPayload(ByteString.copyFrom(payload))
                .setSignature(ByteString.copyFrom(signer.sign(payload))).build();
    }

    /** {@code envelope} with a signed secret carrying the internal endpoint (Fabric's {@code SignSecret}). */
    public static Envelope withInternalEndpoint(Envelope envelope, String internalEndpoint, Signer signer) {
        byte[] secret = Secret.newBuilder().setInternalEndpoint(internalEndpoint).build().toByteArray();
        return envelope.toBuilder().setSecretEnvelope(SecretEnvelope.newBuilder().setPayload(ByteString.copyFrom(secret))
                .setSignature(ByteString.copyFrom(signer.sign(secret)))).build();
    }

    /** The internal endpoint in the envelope's secret, if it has one that parses. */
    public static Optional<String> internalEndpoint(Envelope envelope) {
        if (!envelope.hasSecretEnvelope()) {
            return Optional.empty();
        }
        try {
            String endpoint = Secret.parseFrom(envelope.getSecretEnvelope().getPayload()).getInternalEndpoint();
            return endpoint.isEmpty() ? Optional.empty() : Optional.of(endpoint);
        } catch (InvalidProtocolBufferException e) {
            return Optional.empty();
        }
    }

    /** Fabric's PKI-ID: SHA-256(mspid || id_bytes) of the serialized identity (of the raw bytes if it does not parse). */
    public static ByteString pkiIdOf(byte[] serializedIdentity) {
        try {
            SerializedIdentity sid = SerializedIdentity.parseFrom(serializedIdentity);
            byte[] msp = sid.getMspidBytes().toByteArray();
            byte[] id = sid.getIdBytes().toByteArray();
            byte[] raw = Arrays.copyOf(msp, msp.length + id.length);
            System.arraycopy(id, 0, raw, msp.length, id.length);
            return ByteString.copyFrom(BlockHashing.sha256(raw));
        } catch (InvalidProtocolBufferException e) {
            return ByteString.copyFrom(BlockHashing.sha256(serializedIdentity));
        }
    }

    /** Fabric's StateInfo channel MAC ({@code channel.GenerateMAC}): SHA-256(pkiID || channel id). */
    public static ByteString channelMac(ByteString pkiId, String channelId) {
        return ByteString.copyFrom(BlockHashing.sha256(pkiId.concat(ByteString.copyFrom(channelId, StandardCharsets.UTF_8))
                .toByteArray()));
    }
}
