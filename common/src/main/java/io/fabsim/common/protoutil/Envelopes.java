package io.fabsim.common.protoutil;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import io.fabsim.common.crypto.Signer;
import io.fabsim.common.time.Clock;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;

/**
 * Signed envelopes as Fabric's {@code protoutil} makes and reads them.
 *
 * <p>{@link #createSigned} follows {@code CreateSignedEnvelopeWithTLSBinding}: a
 * {@code ChannelHeader} (type, version 0, timestamp in whole seconds with nanos 0, channel id,
 * epoch, TLS certificate hash), a {@code SignatureHeader} (creator = the signer's serialized
 * identity, a fresh 24-byte nonce), and a signature over the marshaled {@code Payload}. Signatures
 * must always be checked over the payload bytes as received, never over a re-encoding.
 */
public final class Envelopes {

    /** Fabric's nonce length ({@code crypto.NonceSize}). */
    public static final int NONCE_SIZE = 24;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private Envelopes() {
    }

    /** Creates and signs an envelope; the timestamp is {@code clock.now()} truncated to seconds. */
    public static Envelope createSigned(EnvelopeSpec spec, Signer signer, Clock clock) {
        ChannelHeader channelHeader = channelHeader(spec, clock);
        SignatureHeader signatureHeader = signatureHeader(signer.serializedIdentity(), nonce());
        ByteString payload = Payload.newBuilder()
                .setHeader(Header.newBuilder()
                        .setChannelHeader(channelHeader.toByteString())
                        .setSignatureHeader(signatureHeader.toByteString()))
                .setData(spec.data())
                .build()
                .toByteString();
        byte[] signature = signer.sign(payload.toByteArray());
        return Envelope.newBuilder().setPayload(payload).setSignature(ByteString.copyFrom(signature)).build();
    }

    /** The channel header Fabric's {@code MakeChannelHeader} builds (version 0, no tx id). */
    public static ChannelHeader channelHeader(EnvelopeSpec spec, Clock clock) {
        return ChannelHeader.newBuilder()
                .setType(spec.type().getNumber())
                .setVersion(0)
                .setTimestamp(Timestamp.newBuilder().setSeconds(clock.now().getEpochSecond()).setNanos(0))
                .setChannelId(spec.channelId())
                .setEpoch(spec.epoch())
                .setTlsCertHash(spec.tlsCertHash())
                .build();
    }

    public static SignatureHeader signatureHeader(byte[] creator, byte[] nonce) {
        return SignatureHeader.newBuilder()
                .setCreator(ByteString.copyFrom(creator))
                .setNonce(ByteString.copyFrom(nonce))
                .build();
    }

    /** A fresh random 24-byte nonce. */
    public static byte[] nonce() {
        byte[] nonce = new byte[NONCE_SIZE];
        RANDOM.nextBytes(nonce);
        return nonce;
    }

    /** Fabric's {@code ComputeTxID}: lowercase hex of SHA-256(nonce || creator). */
    public static String computeTxId(byte[] nonce, byte[] creator) {
        MessageDigest digest = BlockHashing.newSha256();
        digest.update(nonce);
        digest.update(creator);
        return HEX.formatHex(digest.digest());
    }

    /** Unmarshals the payload and both headers; fails naming the first layer that is broken. */
    public static ParsedEnvelope parse(Envelope envelope) throws EnvelopeException {
        Payload payload = payload(envelope);
        return new ParsedEnvelope(envelope, payload, channelHeader(payload), signatureHeader(payload));
    }

    /** Parses raw envelope bytes, then as {@link #parse(Envelope)}. */
    public static ParsedEnvelope parse(byte[] envelopeBytes) throws EnvelopeException {
        try {
            return parse(Envelope.parseFrom(envelopeBytes));
        } catch (InvalidProtocolBufferException e) {
            throw new EnvelopeException("envelope", "not a common.Envelope: " + e.getMessage(), e);
        }
    }

    public static Payload payload(Envelope envelope) throws EnvelopeException {
        if (envelope.getPayload().isEmpty()) {
            throw new EnvelopeException("payload", "missing (envelope has no payload bytes)");
        }
        try {
            return Payload.parseFrom(envelope.getPayload());
        } catch (InvalidProtocolBufferException e) {
            throw new EnvelopeException("payload", "not a common.Payload: " + e.getMessage(), e);
        }
    }

    public static ChannelHeader channelHeader(Payload payload) throws EnvelopeException {
        if (!payload.hasHeader()) {
            throw new EnvelopeException("header", "missing (payload has no header)");
        }
        if (payload.getHeader().getChannelHeader().isEmpty()) {
            throw new EnvelopeException("channel header", "missing (header has no channel header bytes)");
        }
        try {
            return ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
        } catch (InvalidProtocolBufferException e) {
            throw new EnvelopeException("channel header", "not a common.ChannelHeader: " + e.getMessage(), e);
        }
    }

    public static SignatureHeader signatureHeader(Payload payload) throws EnvelopeException {
        if (!payload.hasHeader()) {
            throw new EnvelopeException("header", "missing (payload has no header)");
        }
        try {
            return SignatureHeader.parseFrom(payload.getHeader().getSignatureHeader());
        } catch (InvalidProtocolBufferException e) {
            throw new EnvelopeException("signature header", "not a common.SignatureHeader: " + e.getMessage(), e);
        }
    }
}
