package io.fabsim.gossip.grpc;

import com.google.protobuf.ByteString;
import io.fabsim.gossip.GossipMetrics;
import io.fabsim.gossip.RemotePeer;
import io.grpc.Status;
import io.grpc.stub.CallStreamObserver;
import java.util.concurrent.ArrayBlockingQueue;
import org.hyperledger.fabric.protos.gossip.Envelope;

/**
 * One gossip stream to or from a peer. Outgoing messages wait in a bounded queue and go out only
 * as fast as gRPC flow control lets them ({@code isReady} / on-ready handler), so a slow peer fills
 * its own queue and loses messages (counted as overflow) without slowing anyone else.
 */
final class Connection implements RemotePeer {

    private final boolean outbound;
    private final String remoteAddress;
    private final CallStreamObserver<Envelope> out;
    private final ArrayBlockingQueue<Envelope> queue;
    private final GossipMetrics metrics;
    private final Object sendLock = new Object();
    private volatile Handshake.Authenticated remote;
    private volatile boolean closed;

    Connection(boolean outbound, String remoteAddress, CallStreamObserver<Envelope> out, int queueSize,
            GossipMetrics metrics) {
        this.outbound = outbound;
        this.remoteAddress = remoteAddress;
        this.out = out;
        this.queue = new ArrayBlockingQueue<>(queueSize);
        this.metrics = metrics;
    }

    boolean outbound() {
        return outbound;
    }

    boolean authenticated() {
        return remote != null;
    }

    void authenticated(Handshake.Authenticated peer) {
        this.remote = peer;
    }

    boolean closed() {
        return closed;
    }

    @Override
    public ByteString pkiId() {
        return remote.pkiId();
    }

    /** The serialized identity the peer proved in the handshake. */
    @Override
    public byte[] identity() {
        return remote.identity().toByteArray();
    }

    @Override
    public String name() {
        Handshake.Authenticated r = remote;
        return r == null ? remoteAddress : r.name();
    }

    String remoteAddress() {
        return remoteAddress;
    }

    @Override
    public boolean send(Envelope envelope) {
        if (closed || remote == null) {
            return false;
        }
        return enqueue(envelope);
    }

    /** Queues a message even before the handshake completes (the handshake message itself). */
    boolean enqueue(Envelope envelope) {
        if (!queue.offer(envelope)) {
            metrics.overflow();
            return false;
        }
        drain();
        return true;
    }

    /** Writes queued messages while the stream can take them; also the stream's on-ready handler. */
    void drain() {
        synchronized (sendLock) {
            if (closed) {
                queue.clear();
                return;
            }
            try {
                while (out.isReady()) {
                    Envelope next = queue.poll();
                    if (next == null) {
                        return;
                    }
                    out.onNext(next);
                }
            } catch (RuntimeException e) {
                closed = true;
                queue.clear();
            }
        }
    }

    /** Ends the stream: with an error status for the remote, or cleanly when {@code status} is OK. */
    void close(Status status) {
        synchronized (sendLock) {
            if (closed) {
                return;
            }
            closed = true;
            queue.clear();
            try {
                if (status.isOk()) {
                    out.onCompleted();
                } else {
                    out.onError(status.asRuntimeException());
                }
            } catch (RuntimeException e) {
                // the stream is already gone
            }
        }
    }

    /** Marks the connection dead after the remote ended it. */
    void ended() {
        synchronized (sendLock) {
            closed = true;
            queue.clear();
        }
    }

    @Override
    public String toString() {
        return (outbound ? "to " : "from ") + name();
    }
}
