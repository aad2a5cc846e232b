package io.fabsim.gossip;

import com.google.protobuf.ByteString;
import java.util.Optional;

/** The identities this peer learnt, by PKI-ID (Fabric's identity mapper, as far as fabsim has one). */
@FunctionalInterface
public interface PeerIdentities {

    /** The serialized identity ({@code SerializedIdentity} bytes) whose PKI-ID is {@code pkiId}, if known. */
    Optional<ByteString> identityOf(ByteString pkiId);
}
