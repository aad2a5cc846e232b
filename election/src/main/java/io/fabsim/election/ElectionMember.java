package io.fabsim.election;

import java.util.Map;
import java.util.Set;

/**
 * A live member of an organization's election cluster as it announced itself.
 *
 * @param nodeName the peer's name (its id in {@code leaderOf} and on {@code /status})
 * @param metadata free-form values the member announced (e.g. {@code gossipEndpoint})
 * @param channels the channels it joined
 * @param eligibleChannels the joined channels it may lead ({@code useLeaderElection = true})
 */
public record ElectionMember(String nodeName, Map<String, String> metadata, Set<String> channels,
                             Set<String> eligibleChannels) {

    public ElectionMember {
        metadata = Map.copyOf(metadata);
        channels = Set.copyOf(channels);
        eligibleChannels = Set.copyOf(eligibleChannels);
    }
}
