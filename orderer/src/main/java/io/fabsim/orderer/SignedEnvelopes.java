package io.fabsim.orderer;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.fabsim.common.crypto.Signer;
import java.security.SecureRandom;
import java.time.Instant;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.SeekPosition;
import org.hyperledger.fabric.protos.orderer.SeekSpecified;

/**
 * Signed envelopes as Fabric's {@code protoutil.CreateSignedEnvelopeWithTLSBinding} builds them:
 * channel header (type, channel id, timestamp in whole seconds, optional TLS cert hash), signature
 * header (creator, 24-byte nonce), data, and the creator's signature over the payload bytes.
 */
public final class SignedEnvelopes {

    private static final SecureRandom RANDOM = new SecureRandom();

    private SignedEnvelopes() {
    }

    /** What to put in the headers of one envelope. */
    public record Spec(HeaderType type, String channelId, Instant timestamp, byte[] tlsCertHash) {
        public Spec(HeaderType type, String channelId, Instant timestamp) {
            this(type, channelId, timestamp, new byte[0]);
        }
    }

    public static Envelope create(Spec spec, Signer signer, ByteString data) {
        ChannelHeader channelHeader = ChannelHeader.newBuilder()
                .setType(spec.type().getNumber())
                .setChannelId(spec.channelId())
                .setTimestamp(Timestamp.newBuilder().setSeconds(spec.timestamp().getEpochSecond()))
                .setTlsCertHash(ByteString.copyFrom(spec.tlsCertHash()))
                .build();
        byte[] nonce = new byte[24];
        RANDOM.nextBytes(nonce);
        SignatureHeader signatureHeader = SignatureHeader.newBuilder()
                .setCreator(ByteString.copyFrom(signer.serializedIdentity()))
                .setNonce(ByteString.copyFrom(nonce))
                .build();
        Payload payload = Payload.newBuilder()
                .setHeader(Header.newBuilder().setChannelHeader(channelHeader.toByteString())
                        .setSignatureHeader(signatureHeader.toByteString()))
                .setData(data)
                .build();
        byte[] payloadBytes = payload.toByteArray();
        return Envelope.newBuilder().setPayload(ByteString.copyFrom(payloadBytes))
                .setSignature(ByteString.copyFrom(signer.sign(payloadBytes))).build();
    }

    /** A signed {@code DELIVER_SEEK_INFO} request. */
    public static Envelope seek(Spec spec, Signer signer, SeekInfo seekInfo) {
        return create(new Spec(HeaderType.DELIVER_SEEK_INFO, spec.channelId(), spec.timestamp(), spec.tlsCertHash()),
                signer, seekInfo.toByteString());
    }

    public static SeekPosition oldest() {
        return SeekPosition.newBuilder().setOldest(org.hyperledger.fabric.protos.orderer.SeekOldest.getDefaultInstance()).build();
    }

    public static SeekPosition newest() {
        return SeekPosition.newBuilder().setNewest(org.hyperledger.fabric.protos.orderer.SeekNewest.getDefaultInstance()).build();
    }

    public static SeekPosition nextCommit() {
        return SeekPosition.newBuilder().setNextCommit(org.hyperledger.fabric.protos.orderer.SeekNextCommit.getDefaultInstance()).build();
    }

    public static SeekPosition specified(long number) {
        return SeekPosition.newBuilder().setSpecified(SeekSpecified.newBuilder().setNumber(number)).build();
    }
}
