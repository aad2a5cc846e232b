package io.fabsim.election.fabric;

import com.google.protobuf.ByteString;

/**
 * A peer of the org considered alive (Fabric's {@code election.Peer}).
 *
 * @param pkiId its PKI-ID, the key the algorithm orders peers by
 * @param name a name for {@code leaderOf}, {@code /status} and log lines
 */
public record ElectionPeer(ByteString pkiId, String name) {
}
