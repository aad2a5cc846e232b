package io.fabsim.deliver;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.fabsim.common.crypto.Signer;
import io.fabsim.common.time.Clock;
import java.security.SecureRandom;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.SeekOldest;
import org.hyperledger.fabric.protos.orderer.SeekPosition;
import org.hyperledger.fabric.protos.orderer.SeekSpecified;

/**
 * Builds the signed Deliver request of Fabric's {@code DeliveryRequester.SeekInfoBlocksFrom} /
 * {@code protoutil.CreateSignedEnvelopeWithTLSBinding}: a {@code DELIVER_SEEK_INFO} envelope from
 * block {@code height} (the oldest block when the ledger is empty) to {@code MaxUint64},
 * {@code BLOCK_UNTIL_READY}; channel header version 0, epoch 0, timestamp in whole seconds, the
 * client TLS certificate hash under mutual TLS; a 24-byte random nonce; signed by the local identity.
 */
final class SeekInfoEnvelopes {

    /** Fabric's {@code math.MaxUint64}: as a Java long, -1 (all 64 bits set). */
    static final long MAX_UINT64 = -1L;
    private static final int NONCE_BYTES = 24;

    private final String channel;
    private final Signer signer;
    private final Clock clock;
    private final Optional<ByteString> tlsCertHash;
    private final SecureRandom nonces = new SecureRandom();

    SeekInfoEnvelopes(String channel, Signer signer, Clock clock, Optional<byte[]> tlsCertHash) {
        this.channel = channel;
        this.signer = signer;
        this.clock = clock;
        this.tlsCertHash = tlsCertHash.map(ByteString::copyFrom);
    }

    static SeekInfo seekFrom(long height) {
        SeekPosition start = height == 0
                ? SeekPosition.newBuilder().setOldest(SeekOldest.getDefaultInstance()).build()
                : specified(height);
        return SeekInfo.newBuilder()
                .setStart(start)
                .setStop(specified(MAX_UINT64))
                .setBehavior(SeekInfo.SeekBehavior.BLOCK_UNTIL_READY)
                .build();
    }

    /** The signed request for blocks from {@code height} on; a signer failure propagates as thrown. */
    Envelope blocksFrom(long height) {
        ChannelHeader.Builder channelHeader = ChannelHeader.newBuilder()
                .setType(HeaderType.DELIVER_SEEK_INFO_VALUE)
                .setVersion(0)
                .setTimestamp(Timestamp.newBuilder().setSeconds(clock.now().getEpochSecond()))
                .setChannelId(channel)
                .setEpoch(0);
        tlsCertHash.ifPresent(channelHeader::setTlsCertHash);
        byte[] nonce = new byte[NONCE_BYTES];
        nonces.nextBytes(nonce);
        SignatureHeader signatureHeader = SignatureHeader.newBuilder()
                .setCreator(ByteString.copyFrom(signer.serializedIdentity()))
                .setNonce(ByteString.copyFrom(nonce))
                .build();
        Payload payload = Payload.newBuilder()
                .setHeader(Header.newBuilder()
                        .setChannelHeader(channelHeader.build().toByteString())
                        .setSignatureHeader(signatureHeader.toByteString()))
                .setData(seekFrom(height).toByteString())
                .build();
        byte[] payloadBytes = payload.toByteArray();
        return Envelope.newBuilder()
                .setPayload(ByteString.copyFrom(payloadBytes))
                .setSignature(ByteString.copyFrom(signer.sign(payloadBytes)))
                .build();
    }

    private static SeekPosition specified(long number) {
        return SeekPosition.newBuilder().setSpecified(SeekSpecified.newBuilder().setNumber(number)).build();
    }
}
