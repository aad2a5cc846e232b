package io.fabsim.peer;

/**
 * How a peer gets a channel's blocks from the ordering service, decided once from Fabric's two
 * flags by {@link PeerConfig#from}: {@code peer.gossip.useLeaderElection} gives {@link Elected},
 * {@code peer.gossip.orgLeader} gives {@link Static}, neither gives {@link None}, and both is refused.
 */
public sealed interface LeaderMode permits LeaderMode.Elected, LeaderMode.Static, LeaderMode.None {

    /** Fabric's panic message, logged verbatim when both leader flags are set. */
    String BOTH_FLAGS_MESSAGE = "Setting both orgLeader and useLeaderElection to true isn't supported, aborting execution";

    /** It takes part in the org's election; the elected peer delivers ({@code useLeaderElection}). */
    LeaderMode ELECTED = new Elected();
    /** It always delivers ({@code orgLeader}). */
    LeaderMode STATIC = new Static();
    /** It never delivers; blocks come by gossip only. */
    LeaderMode NONE = new None();

    /** The name in /status: election, static or none. */
    String jsonName();

    /** The mode Fabric's two flags give; both set is refused with Fabric's message. */
    static LeaderMode of(boolean useLeaderElection, boolean orgLeader) {
        if (useLeaderElection && orgLeader) {
            throw new PeerStartRefusedException(BOTH_FLAGS_MESSAGE);
        }
        return useLeaderElection ? ELECTED : orgLeader ? STATIC : NONE;
    }

    record Elected() implements LeaderMode {
        @Override
        public String jsonName() {
            return "election";
        }
    }

    record Static() implements LeaderMode {
        @Override
        public String jsonName() {
            return "static";
        }
    }

    record None() implements LeaderMode {
        @Override
        public String jsonName() {
            return "none";
        }
    }
}
