package io.fabsim.deliver;

import io.fabsim.common.crypto.Signer;
import io.fabsim.common.protoutil.SeekInfos;
import io.fabsim.common.time.Clock;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.orderer.SeekInfo;

/**
 * Builds the signed Deliver request of Fabric's {@code DeliveryRequester.SeekInfoBlocksFrom}
 * ({@code protoutil.CreateSignedEnvelopeWithTLSBinding}): a {@code DELIVER_SEEK_INFO} envelope from
 * block {@code height} (the oldest block when the ledger is empty, as Fabric's older
 * {@code seekOldest}) to {@code MaxUint64}, {@code BLOCK_UNTIL_READY}; channel header version 0,
 * epoch 0, timestamp in whole seconds, the client TLS certificate hash under mutual TLS; a 24-byte
 * random nonce; signed by the local identity.
 */
final class SeekInfoEnvelopes {

    private final String channel;
    private final Signer signer;
    private final Clock clock;
    private final Optional<byte[]> tlsCertHash;

    SeekInfoEnvelopes(String channel, Signer signer, Clock clock, Optional<byte[]> tlsCertHash) {
        this.channel = channel;
        this.signer = signer;
        this.clock = clock;
        this.tlsCertHash = tlsCertHash.map(byte[]::clone);
    }

    static SeekInfo seekFrom(long height) {
        return SeekInfos.seekInfo(height == 0 ? SeekInfos.oldest() : SeekInfos.specified(height),
                SeekInfos.specified(SeekInfos.MAX_BLOCK), SeekInfo.SeekBehavior.BLOCK_UNTIL_READY);
    }

    /** The signed request for blocks from {@code height} on; a signer failure propagates as thrown. */
    Envelope blocksFrom(long height) {
        SeekInfo seek = seekFrom(height);
        return tlsCertHash.isPresent()
                ? SeekInfos.seekEnvelope(channel, seek, signer, clock, tlsCertHash.get())
                : SeekInfos.seekEnvelope(channel, seek, signer, clock);
    }
}
