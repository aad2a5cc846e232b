package io.fabsim.gossip;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.fabsim.common.crypto.Signer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.hyperledger.fabric.protos.gossip.GossipMessage;

/** A fake org peer that records every message it is sent; it answers nothing unless a subclass does. */
class RecordingPeer implements RemotePeer {

    private final String name;
    private final Signer signer;
    final List<GossipMessage> received = new CopyOnWriteArrayList<>();

    /** A peer whose PKI-ID is its name (messages it signs cannot be verified). */
    RecordingPeer(String name) {
        this(name, null);
    }

    /** A peer with a real identity: its PKI-ID is Fabric's, of {@code signer}'s identity. */
    RecordingPeer(String name, Signer signer) {
        this.name = name;
        this.signer = signer;
    }

    Signer signer() {
        return signer;
    }

    /** How many messages of {@code kind} it was sent. */
    int count(GossipMessage.ContentCase kind) {
        return (int) received.stream().filter(m -> m.getContentCase() == kind).count();
    }

    @Override
    public ByteString pkiId() {
        return signer == null ? ByteString.copyFromUtf8(name) : SignedMessages.pkiIdOf(signer.serializedIdentity());
    }

    @Override
    public byte[] identity() {
        return signer == null ? name.getBytes(java.nio.charset.StandardCharsets.UTF_8) : signer.serializedIdentity();
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
