package io.fabsim.peer;

import java.util.List;

/**
 * The body of {@code GET /status} (README "Peer": scripts rely on this shape):
 * {@code {"node","mspId","role":"peer","channels":[{"channel","height","currentBlockHash" (hex),
 * "mode":"election"|"static"|"none","leader","leaderId" (or null),"delivering"}]}}.
 */
public record PeerStatus(String node, String mspId, String role, List<ChannelStatus> channels) {

    public PeerStatus {
        channels = List.copyOf(channels);
    }

    /** One channel's line in {@link PeerStatus}. */
    public record ChannelStatus(String channel, long height, String currentBlockHash, String mode, boolean leader,
            String leaderId, boolean delivering) {
    }
}
