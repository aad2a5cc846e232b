package io.fabsim.election.fabric;

import com.google.protobuf.ByteString;

/** A leadership message from a peer of the org (Fabric's {@code election.Msg}). */
public interface ElectionMessage {

    /** The PKI-ID of the peer that sent it. */
    ByteString senderId();

    /** A declaration ("I lead") rather than a proposal ("I could lead"). */
    boolean isDeclaration();

    default boolean isProposal() {
        return !isDeclaration();
    }
}
