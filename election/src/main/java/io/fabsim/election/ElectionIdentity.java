package io.fabsim.election;

import java.util.Map;

/**
 * Who this peer is in its organization's election cluster.
 *
 * @param mspId the organization's MSP id; names the cluster (one cluster per org)
 * @param nodeName this peer's name, unique in the org (e.g. {@code peer0.org1.example.com})
 * @param metadata free-form values announced to the org's members (e.g. {@code gossipEndpoint})
 */
public record ElectionIdentity(String mspId, String nodeName, Map<String, String> metadata) {

    public ElectionIdentity {
        if (mspId == null || mspId.isBlank()) {
            throw new IllegalArgumentException("election identity: empty MSP id");
        }
        if (nodeName == null || nodeName.isBlank()) {
            throw new IllegalArgumentException("election identity of " + mspId + ": empty node name");
        }
        metadata = Map.copyOf(metadata);
    }
}
