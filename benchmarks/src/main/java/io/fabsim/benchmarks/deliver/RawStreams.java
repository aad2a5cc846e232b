package io.fabsim.benchmarks.deliver;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The gRPC pieces of the Deliver benchmark, all on raw bytes so that both measured paths pay the
 * same client costs: a plain server-streaming service that sends pre-serialized messages (the
 * baseline), and a client call that counts messages and bytes.
 */
final class RawStreams {

    private RawStreams() {
    }

    static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
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
            .setType(MethodDescriptor.MethodType.BIDI_STREAMING).setFullMethodName("orderer.AtomicBroadcast/Deliver")
            .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();

    static final MethodDescriptor<byte[], byte[]> RAW = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.SERVER_STREAMING).setFullMethodName("bench.Raw/Stream")
            .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();

    /** The same transport buffer the orderer's Deliver streams use (GrpcDeliverStream), for a like-for-like baseline. */
    static final int ON_READY_THRESHOLD = 1024 * 1024;

    /** Streams {@code messages} in order to every caller, as fast as flow control allows, on the transport thread. */
    static ServerServiceDefinition rawService(List<byte[]> messages) {
        return ServerServiceDefinition.builder("bench.Raw")
                .addMethod(RAW, ServerCalls.asyncServerStreamingCall((request, responses) -> {
                    ServerCallStreamObserver<byte[]> out = (ServerCallStreamObserver<byte[]>) responses;
                    out.setOnReadyThreshold(ON_READY_THRESHOLD);
                    int[] next = {0};
                    out.setOnReadyHandler(() -> {
                        while (out.isReady() && next[0] < messages.size()) {
                            out.onNext(messages.get(next[0]++));
                        }
                        if (next[0] == messages.size()) {
                            next[0]++;
                            out.onCompleted();
                        }
                    });
                }))
                .build();
    }

    /** Totals of one reader. */
    record Count(long messages, long bytes) {
    }

    /**
     * Reads one stream: sends {@code request} and counts responses. For Deliver ({@code bidi}), the
     * stream ends at the status response (a message starting with field 1, varint); for the raw
     * service, at completion.
     */
    static CompletableFuture<Count> read(ManagedChannel channel, MethodDescriptor<byte[], byte[]> method, byte[] request) {
        CompletableFuture<Count> done = new CompletableFuture<>();
        ClientCall<byte[], byte[]> call = channel.newCall(method, CallOptions.DEFAULT);
        boolean bidi = method.getType() == MethodDescriptor.MethodType.BIDI_STREAMING;
        call.start(new ClientCall.Listener<>() {
            long messages;
            long bytes;

            @Override
            public void onMessage(byte[] message) {
                if (bidi && message.length > 0 && message[0] == 0x08) {
                    done.complete(new Count(messages, bytes));
                    call.cancel("done", null);
                    return;
                }
                messages++;
                bytes += message.length;
                call.request(1);
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                if (!bidi && status.isOk()) {
                    done.complete(new Count(messages, bytes));
                } else {
                    done.completeExceptionally(status.asRuntimeException());
                }
            }
        }, new Metadata());
        call.request(32);
        call.sendMessage(request);
        if (!bidi) {
            call.halfClose();
        }
        return done;
    }
}
