package io.fabsim.deliver;

import java.util.Optional;

/** Gives a fresh {@link BlockVerifier} holding a channel's current configuration; peer-node wires it. */
@FunctionalInterface
public interface BlockVerifierFactory {

    /** A verifier for {@code channel}, or empty when the peer has no configuration for it. */
    Optional<BlockVerifier> forChannel(String channel);
}
