package io.fabsim.peer;

import com.google.protobuf.ByteString;
import io.fabsim.election.fabric.ElectionMessage;
import io.fabsim.election.fabric.ElectionPeer;
import io.fabsim.election.fabric.ElectionTransport;
import io.fabsim.election.fabric.LeaderElectionAdapter;
import io.fabsim.gossip.LeadershipGossip;
import io.fabsim.gossip.RemotePeer;
import java.util.List;
import java.util.function.Consumer;
import org.hyperledger.fabric.protos.gossip.Envelope;

/**
 * Fabric's election over the peer's gossip (Fabric's {@code election/adapter.go}): messages are
 * {@link LeadershipGossip}'s signed {@code LeadershipMessage}s, and the org's peers alive are the
 * authenticated org peers the gossip transport is connected to (to be replaced by gossip's alive
 * membership once it has one).
 */
final class GossipElectionTransport implements ElectionTransport {

    private final LeadershipGossip leadership;

    GossipElectionTransport(LeadershipGossip leadership) {
        this.leadership = leadership;
    }

    @Override
    public ByteString selfId() {
        return leadership.localPkiId();
    }

    @Override
    public LeaderElectionAdapter adapter(String channel) {
        return new Adapter(channel);
    }

    @Override
    public List<ElectionPeer> orgPeers() {
        return leadership.peers().stream().map(GossipElectionTransport::peer).toList();
    }

    private static ElectionPeer peer(RemotePeer remote) {
        return new ElectionPeer(remote.pkiId(), remote.name());
    }

    /** A leadership message with the signed envelope that carries it. */
    private record Message(ByteString senderId, boolean isDeclaration, Envelope envelope) implements ElectionMessage {
    }

    private final class Adapter implements LeaderElectionAdapter {
        private final String channel;

        Adapter(String channel) {
            this.channel = channel;
        }

        @Override
        public void gossip(ElectionMessage message) {
            leadership.gossip(((Message) message).envelope());
        }

        @Override
        public void accept(Consumer<ElectionMessage> receiver) {
            leadership.subscribe(channel, r -> receiver.accept(new Message(r.pkiId(), r.declaration(), null)));
        }

        @Override
        public ElectionMessage createMessage(boolean isDeclaration) {
            return new Message(selfId(), isDeclaration, leadership.create(channel, isDeclaration));
        }

        @Override
        public List<ElectionPeer> peers() {
            return orgPeers();
        }

        @Override
        public void close() {
            leadership.unsubscribe(channel);
        }
    }
}
