package io.fabsim.common.protoutil;

import com.google.protobuf.ByteString;
import io.fabsim.common.crypto.Signer;
import io.fabsim.common.time.Clock;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.SeekInfo.SeekBehavior;
import org.hyperledger.fabric.protos.orderer.SeekInfo.SeekContentType;
import org.hyperledger.fabric.protos.orderer.SeekInfo.SeekErrorResponse;
import org.hyperledger.fabric.protos.orderer.SeekNewest;
import org.hyperledger.fabric.protos.orderer.SeekNextCommit;
import org.hyperledger.fabric.protos.orderer.SeekOldest;
import org.hyperledger.fabric.protos.orderer.SeekPosition;
import org.hyperledger.fabric.protos.orderer.SeekSpecified;

/**
 * Deliver requests as Fabric's clients build them. With the defaults (behavior
 * {@code BLOCK_UNTIL_READY}, error response {@code STRICT}, content type {@code BLOCK}, all 0 and so
 * absent on the wire) the bytes equal those of {@code peer channel fetch}: oldest
 * {@code 0a02120012021200}, newest {@code 0a020a0012020a00}, specified 3
 * {@code 0a041a02080312041a020803}.
 */
public final class SeekInfos {

    /** Fabric's {@code math.MaxUint64} stop position ("forever"), as an unsigned Java long. */
    public static final long MAX_BLOCK = -1L;

    private SeekInfos() {
    }

    public static SeekPosition oldest() {
        return SeekPosition.newBuilder().setOldest(SeekOldest.getDefaultInstance()).build();
    }

    public static SeekPosition newest() {
        return SeekPosition.newBuilder().setNewest(SeekNewest.getDefaultInstance()).build();
    }

    /** Block {@code number}, an unsigned 64-bit value ({@link #MAX_BLOCK} = 2^64 - 1). */
    public static SeekPosition specified(long number) {
        return SeekPosition.newBuilder().setSpecified(SeekSpecified.newBuilder().setNumber(number)).build();
    }

    public static SeekPosition nextCommit() {
        return SeekPosition.newBuilder().setNextCommit(SeekNextCommit.getDefaultInstance()).build();
    }

    /** start..stop, {@code STRICT}, content {@code BLOCK}. */
    public static SeekInfo seekInfo(SeekPosition start, SeekPosition stop, SeekBehavior behavior) {
        return seekInfo(start, stop, behavior, SeekContentType.BLOCK);
    }

    /** start..stop, {@code STRICT}, with the given content type ({@code BLOCK} or {@code HEADER_WITH_SIG}). */
    public static SeekInfo seekInfo(SeekPosition start, SeekPosition stop, SeekBehavior behavior,
                                    SeekContentType contentType) {
        return SeekInfo.newBuilder()
                .setStart(start)
                .setStop(stop)
                .setBehavior(behavior)
                .setErrorResponse(SeekErrorResponse.STRICT)
                .setContentType(contentType)
                .build();
    }

    /** One block: start = stop = position, {@code BLOCK_UNTIL_READY}, as {@code peer channel fetch}. */
    public static SeekInfo single(SeekPosition position) {
        return seekInfo(position, position, SeekBehavior.BLOCK_UNTIL_READY);
    }

    /**
     * What a peer's deliver client asks for: every block from {@code height} on, forever
     * (specified(height) .. specified(2^64 - 1), {@code BLOCK_UNTIL_READY}).
     */
    public static SeekInfo fromHeight(long height) {
        return seekInfo(specified(height), specified(MAX_BLOCK), SeekBehavior.BLOCK_UNTIL_READY);
    }

    /** A signed {@code DELIVER_SEEK_INFO} envelope carrying {@code seekInfo}, epoch 0, no TLS binding. */
    public static Envelope seekEnvelope(String channelId, SeekInfo seekInfo, Signer signer, Clock clock) {
        return Envelopes.createSigned(
                EnvelopeSpec.of(HeaderType.DELIVER_SEEK_INFO, channelId, seekInfo.toByteString()), signer, clock);
    }

    /**
     * As {@link #seekEnvelope(String, SeekInfo, Signer, Clock)}, bound to the client's TLS
     * certificate: {@code tlsCertHash} = SHA-256 of the DER of the certificate presented in the
     * handshake (empty when the client presents none).
     */
    public static Envelope seekEnvelope(String channelId, SeekInfo seekInfo, Signer signer, Clock clock,
                                        byte[] tlsCertHash) {
        return Envelopes.createSigned(
                EnvelopeSpec.of(HeaderType.DELIVER_SEEK_INFO, channelId, seekInfo.toByteString())
                        .withTlsCertHash(ByteString.copyFrom(tlsCertHash)),
                signer, clock);
    }
}
