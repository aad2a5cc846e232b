package io.fabsim.common.protoutil;

import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;

/** An envelope with its payload and both headers unmarshaled (see {@link Envelopes#parse}). */
public record ParsedEnvelope(Envelope envelope, Payload payload, ChannelHeader channelHeader,
                             SignatureHeader signatureHeader) {

    /** The channel header's type; {@code UNRECOGNIZED} for a number Fabric does not define. */
    public HeaderType type() {
        HeaderType type = HeaderType.forNumber(channelHeader.getType());
        return type == null ? HeaderType.UNRECOGNIZED : type;
    }

    public String channelId() {
        return channelHeader.getChannelId();
    }

    /** The creator, the signed payload bytes as received, and the signature. */
    public SignedData signedData() {
        return new SignedData(signatureHeader.getCreator(), envelope.getPayload(), envelope.getSignature());
    }

    /** Fabric's transaction id computed from this envelope's nonce and creator. */
    public String computedTxId() {
        return Envelopes.computeTxId(signatureHeader.getNonce().toByteArray(), signatureHeader.getCreator().toByteArray());
    }
}
