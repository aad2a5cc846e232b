package io.fabsim.cli.chaos;

import io.fabsim.cli.network.NetworkSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The names a schedule draws from: each org's peers (process names, {@code peer0.org1}), the
 * orderers, and each channel's orgs, in the order of the network description.
 */
public record Topology(Map<String, List<String>> peersByOrg, List<String> orderers, Map<String, List<String>> orgsByChannel) {

    public static Topology of(NetworkSpec spec) {
        Map<String, List<String>> peers = new LinkedHashMap<>();
        for (NetworkSpec.Org org : spec.orgs()) {
            List<String> names = new ArrayList<>();
            org.peers().forEach(p -> names.add(p.name() + "." + org.shortName()));
            peers.put(org.name(), List.copyOf(names));
        }
        Map<String, List<String>> channels = new LinkedHashMap<>();
        spec.channels().forEach(c -> channels.put(c.name(), List.copyOf(c.orgs())));
        return new Topology(peers, spec.orderers().stream().map(NetworkSpec.Orderer::name).toList(), channels);
    }

    /** The org of a peer, or null for an orderer. */
    public String orgOf(String node) {
        return peersByOrg.entrySet().stream().filter(e -> e.getValue().contains(node)).map(Map.Entry::getKey)
                .findFirst().orElse(null);
    }
}
