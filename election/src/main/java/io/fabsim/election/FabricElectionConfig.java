package io.fabsim.election;

import io.fabsim.common.config.ConfigReader;
import java.time.Duration;

/**
 * Fabric's election settings ({@code peer.gossip.election.*} with Fabric's names, meanings and
 * defaults), used by the {@code fabric} algorithm.
 *
 * @param startupGracePeriod longest wait at start for the membership to stop changing (Fabric 15s)
 * @param membershipSampleInterval how often the membership size is sampled at start (Fabric 1s)
 * @param leaderAliveThreshold a follower that heard no declaration for this long starts an election;
 *     a leader declares every half of it (Fabric 10s)
 * @param leaderElectionDuration how long a proposer collects other proposals before it declares (Fabric 5s)
 */
public record FabricElectionConfig(Duration startupGracePeriod, Duration membershipSampleInterval,
                                   Duration leaderAliveThreshold, Duration leaderElectionDuration) {

    public FabricElectionConfig {
        if (leaderAliveThreshold.toNanos() < 2) {
            throw new IllegalArgumentException("leaderAliveThreshold must be positive, got " + leaderAliveThreshold);
        }
    }

    /** A leader gossips its declaration every half of {@code leaderAliveThreshold}, as Fabric does. */
    public Duration declarationInterval() {
        return leaderAliveThreshold.dividedBy(2);
    }

    /** How long a peer that yielded takes no part in elections: six {@code leaderAliveThreshold}s, as Fabric. */
    public Duration yieldPeriod() {
        return leaderAliveThreshold.multipliedBy(6);
    }

    public static FabricElectionConfig from(ConfigReader reader) {
        String p = ElectionConfig.SECTION + ".";
        Duration min = Duration.ofMillis(1);
        Duration hour = Duration.ofHours(1);
        return new FabricElectionConfig(
                reader.duration(p + "startupGracePeriod", Duration.ZERO, hour),
                reader.duration(p + "membershipSampleInterval", min, hour),
                reader.duration(p + "leaderAliveThreshold", Duration.ofMillis(2), hour),
                reader.duration(p + "leaderElectionDuration", min, hour));
    }
}
