package io.fabsim.common.protoutil;

import com.google.protobuf.ByteString;
import java.util.Objects;
import org.hyperledger.fabric.protos.common.HeaderType;

/**
 * What goes into a signed envelope besides the signer and the time: the header type, the channel,
 * the marshaled data, the epoch and the TLS certificate hash binding (empty when not bound), as the
 * arguments of Fabric's {@code protoutil.CreateSignedEnvelopeWithTLSBinding}.
 */
public record EnvelopeSpec(HeaderType type, String channelId, ByteString data, long epoch, ByteString tlsCertHash) {

    public EnvelopeSpec {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(channelId, "channelId");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(tlsCertHash, "tlsCertHash");
    }

    /** Epoch 0 and no TLS binding. */
    public static EnvelopeSpec of(HeaderType type, String channelId, ByteString data) {
        return new EnvelopeSpec(type, channelId, data, 0, ByteString.EMPTY);
    }

    public EnvelopeSpec withTlsCertHash(ByteString hash) {
        return new EnvelopeSpec(type, channelId, data, epoch, hash);
    }
}
