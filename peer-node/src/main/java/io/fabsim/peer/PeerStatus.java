package io.fabsim.peer;

import io.fabsim.gossip.discovery.Discovery;
import java.util.List;

/**
 * The body of {@code GET /status} (README "Peer": scripts rely on this shape):
 * {@code {"node","mspId","role":"peer","channels":[{"channel","height","currentBlockHash" (hex),
 * "mode":"election"|"static"|"none","leader","leaderId" (or null),"delivering",
 * "streamingFrom" (or null)}]}}. {@code delivering}: the deliver client runs (from election or
 * start-up until stopped, while it dials and retries too); {@code streamingFrom}: the orderer
 * endpoint whose Deliver stream is open now (connected, SeekInfo sent). {@code "membership":
 * [{"pkiId" (first 16 hex digits),"endpoint","alive"}]}: the org peers gossip's membership knows
 * from their alive messages (a dead one stays listed with {@code alive = false} until forgotten).
 */
public record PeerStatus(String node, String mspId, String role, List<ChannelStatus> channels,
        List<Discovery.MemberView> membership, ElectionView electionView) {

    /** The election's membership view (JGroups): its id and members; null in JSON without one. */
    public record ElectionView(String id, List<String> members) {
        public ElectionView {
            members = List.copyOf(members);
        }
    }

    public PeerStatus {
        channels = List.copyOf(channels);
        membership = List.copyOf(membership);
    }

    /** One channel's line in {@link PeerStatus}. */
    public record ChannelStatus(String channel, long height, String currentBlockHash, String mode, boolean leader,
            String leaderId, boolean delivering, String streamingFrom) {
    }
}
