package io.fabsim.orderer;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code orderer.AtomicBroadcast/Deliver} with raw bytes both ways: requests go on the wire exactly
 * as recorded from Fabric's CLI, and responses are kept as the bytes the server sent.
 */
final class RawDeliverClient {

    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    static final MethodDescriptor<byte[], byte[]> DELIVER = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
            .setFullMethodName("orderer.AtomicBroadcast/Deliver")
            .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();

    /** One raw stream. */
    static final class Stream {
        private final ClientCall<byte[], byte[]> call;
        private final BlockingQueue<byte[]> responses = new LinkedBlockingQueue<>();
        final CompletableFuture<Status> closed = new CompletableFuture<>();

        Stream(ManagedChannel channel) {
            call = channel.newCall(DELIVER, CallOptions.DEFAULT);
            call.start(new ClientCall.Listener<>() {
                @Override
                public void onMessage(byte[] message) {
                    responses.add(message);
                    call.request(1);
                }

                @Override
                public void onClose(Status status, Metadata trailers) {
                    closed.complete(status);
                }
            }, new Metadata());
            call.request(1);
        }

        void send(byte[] request) {
            call.sendMessage(request);
        }

        byte[] next() throws InterruptedException {
            byte[] response = responses.poll(20, TimeUnit.SECONDS);
            if (response == null) {
                throw new AssertionError("no response within 20 s; closed: " + closed.getNow(null));
            }
            return response;
        }

        void cancel() {
            call.cancel("done", null);
        }
    }
}
