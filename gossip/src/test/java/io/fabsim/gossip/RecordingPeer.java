package io.fabsim.gossip;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.hyperledger.fabric.protos.gossip.GossipMessage;

/** A fake org peer that records every message it is sent; it answers nothing unless a subclass does. */
class RecordingPeer implements RemotePeer {

    private final String name;
    final List<GossipMessage> received = new CopyOnWriteArrayList<>();

    RecordingPeer(String name) {
        this.name = name;
    }

    /** How many messages of {@code kind} it was sent. */
    int count(GossipMessage.ContentCase kind) {
        return (int) received.stream().filter(m -> m.getContentCase() == kind).count();
    }

    @Override
    public ByteString pkiId() {
        return ByteString.copyFromUtf8(name);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean send(Envelope envelope) {
        try {
            GossipMessage message = GossipMessage.parseFrom(envelope.getPayload());
            received.add(message);
            answer(message);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("not a GossipMessage", e);
        }
        return true;
    }

    /** Called with every message sent to this peer, after it is recorded. */
    void answer(GossipMessage message) {
    }
}
