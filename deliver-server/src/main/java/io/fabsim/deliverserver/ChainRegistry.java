package io.fabsim.deliverserver;

import java.util.Optional;

/**
 * The channels a Deliver service can serve (Fabric's {@code deliver.ChainManager}). The orderer
 * implements it over its chains; the peer over its joined channels.
 */
public interface ChainRegistry {

    /** The chain of {@code channelId}, or empty when this node does not serve that channel. */
    Optional<DeliverChain> chain(String channelId);
}
