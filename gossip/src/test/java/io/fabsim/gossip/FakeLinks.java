package io.fabsim.gossip;

import com.google.protobuf.ByteString;
import java.util.Collection;
import java.util.List;
import java.util.function.IntSupplier;

/** {@link PeerLinks} for unit tests: a fixed PKI-ID, the peers the test holds, a message limit it may change. */
record FakeLinks(String self, Collection<? extends RemotePeer> connected, IntSupplier messageLimit) implements PeerLinks {

    /** gRPC's default limit in fabsim (100 MiB). */
    FakeLinks(String self, Collection<? extends RemotePeer> connected) {
        this(self, connected, () -> 100 * 1024 * 1024);
    }

    @Override
    public ByteString localPkiId() {
        return ByteString.copyFromUtf8(self);
    }

    @Override
    public Collection<RemotePeer> peers() {
        return List.copyOf(connected);
    }

    @Override
    public int maxMessageBytes() {
        return messageLimit.getAsInt();
    }
}
