package io.fabsim.election;

import io.fabsim.common.config.ConfigReader;

/** Which algorithm elects this peer's leaders ({@code peer.gossip.election.algorithm}). */
public enum ElectionAlgorithm {
    /** fabsim's JGroups cluster per org (crash detection in milliseconds). */
    JGROUPS,
    /** Fabric's own {@code gossip/election}: proposals and declarations gossiped among the org's peers. */
    FABRIC;

    public static final String KEY = ElectionConfig.SECTION + ".algorithm";

    public static ElectionAlgorithm from(ConfigReader reader) {
        return reader.enumValue(KEY, ElectionAlgorithm.class);
    }
}
