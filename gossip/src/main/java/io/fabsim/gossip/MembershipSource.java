package io.fabsim.gossip;

import io.fabsim.common.config.HostPort;
import java.util.List;

/**
 * Where this org's peers listen for gossip: static from {@code peer.gossip.bootstrap}, or dynamic
 * from the election module's membership (what members announce), and, beside either, from the
 * alive messages of gossip's own membership ({@code Discovery}). Read again every
 * {@code peer.gossip.reconnectInterval}: a peer that leaves is dropped, one that comes back is used again.
 * The list may contain this peer's own endpoint; it is recognised in the handshake and skipped.
 */
@FunctionalInterface
public interface MembershipSource {

    List<HostPort> endpoints();

    /** The endpoints of every source, each once. */
    static MembershipSource union(MembershipSource first, MembershipSource second) {
        return () -> {
            java.util.LinkedHashSet<HostPort> all = new java.util.LinkedHashSet<>(first.endpoints());
            all.addAll(second.endpoints());
            return List.copyOf(all);
        };
    }

    static MembershipSource fixed(List<HostPort> endpoints) {
        List<HostPort> copy = List.copyOf(endpoints);
        return () -> copy;
    }
}
