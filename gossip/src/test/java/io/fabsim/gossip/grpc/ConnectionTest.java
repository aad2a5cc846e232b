package io.fabsim.gossip.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabsim.gossip.GossipMetrics;
import io.grpc.Status;
import io.grpc.stub.CallStreamObserver;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.junit.jupiter.api.Test;

class ConnectionTest {

    /** A stream whose readiness the test controls, recording what is written. */
    private static final class FakeStream extends CallStreamObserver<Envelope> {
        volatile boolean ready;
        final List<Envelope> written = new ArrayList<>();
        boolean completed;

        @Override
        public boolean isReady() {
            return ready;
        }

        @Override
        public void setOnReadyHandler(Runnable onReadyHandler) {
        }

        @Override
        public void disableAutoInboundFlowControl() {
        }

        @Override
        public void request(int count) {
        }

        @Override
        public void setMessageCompression(boolean enable) {
        }

        @Override
        public void onNext(Envelope value) {
            written.add(value);
        }

        @Override
        public void onError(Throwable t) {
            completed = true;
        }

        @Override
        public void onCompleted() {
            completed = true;
        }
    }

    private static Envelope message(int i) {
        return Envelope.newBuilder().setPayload(com.google.protobuf.ByteString.copyFromUtf8("m" + i)).build();
    }

    @Test
    void slowPeerFillsOnlyItsOwnBoundedQueueAndExcessIsDroppedAndCounted() {
        GossipMetrics metrics = GossipMetrics.unexported();
        FakeStream stream = new FakeStream();
        Connection connection = new Connection(true, "slow", stream, 5, metrics);
        connection.authenticated(new Handshake.Authenticated(com.google.protobuf.ByteString.copyFromUtf8("id"), "slow",
                "Org1MSP", new byte[0]));
        int accepted = 0;
        for (int i = 0; i < 100; i++) {
            accepted += connection.send(message(i)) ? 1 : 0;
        }
        assertThat(accepted).isEqualTo(5);
        assertThat(stream.written).isEmpty();
        assertThat(metrics.overflowCount()).isEqualTo(95);

        stream.ready = true;
        connection.drain();
        assertThat(stream.written).containsExactly(message(0), message(1), message(2), message(3), message(4));
        assertThat(connection.send(message(100))).isTrue();
        assertThat(stream.written).hasSize(6);

        connection.close(Status.OK);
        assertThat(stream.completed).isTrue();
        assertThat(connection.send(message(101))).isFalse();
    }

    @Test
    void messagesAreNotSentBeforeTheHandshake() {
        FakeStream stream = new FakeStream();
        stream.ready = true;
        Connection connection = new Connection(false, "new", stream, 5, GossipMetrics.unexported());
        assertThat(connection.send(message(1))).isFalse();
        assertThat(connection.enqueue(message(2))).isTrue();
        assertThat(stream.written).containsExactly(message(2));
    }
}
