package io.fabsim.gossip;

import io.fabsim.common.config.HostPort;
import java.util.List;

/**
 * Where this org's peers listen for gossip: static from {@code peer.gossip.bootstrap}, or dynamic
 * from the election module's membership (what members announce). Read again every
 * {@code peer.gossip.reconnectInterval}: a peer that leaves is dropped, one that comes back is used again.
 * The list may contain this peer's own endpoint; it is recognised in the handshake and skipped.
 */
@FunctionalInterface
public interface MembershipSource {

    List<HostPort> endpoints();

    static MembershipSource fixed(List<HostPort> endpoints) {
        List<HostPort> copy = List.copyOf(endpoints);
        return () -> copy;
    }
}
