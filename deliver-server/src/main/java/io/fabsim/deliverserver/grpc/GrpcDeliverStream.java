package io.fabsim.deliverserver.grpc;

import io.fabsim.common.tls.TlsPeer;
import io.fabsim.deliverserver.DeliverAbortedException;
import io.fabsim.deliverserver.DeliverHandler;
import io.fabsim.deliverserver.DeliverResponder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Deliver stream (the orderer's {@code AtomicBroadcast/Deliver}, the peer's {@code Deliver} and
 * {@code DeliverFiltered}; {@code format} turns blocks and statuses into responses of type {@code R}):
 * Fabric's receive loop over gRPC-java's async API.
 * Requests are read one at a time (manual inbound flow control: the next request is asked for only
 * after the previous one ended with {@code SUCCESS}), each handled on a worker thread of
 * {@code executor} because it may wait for blocks; sending a block waits for the transport to be
 * ready, so a slow reader holds back its own stream only.
 */
final class GrpcDeliverStream<R> implements StreamObserver<Envelope>, DeliverResponder {

    private static final Logger log = LoggerFactory.getLogger(GrpcDeliverStream.class);

    /**
     * Bytes the transport may hold for this stream before it reports not ready. gRPC's default
     * (32 KiB) is smaller than one large block, which would make every block wait for a hand-off
     * from the transport thread; 1 MiB lets the worker stay ahead of the socket.
     */
    static final int ON_READY_THRESHOLD = 1024 * 1024;

    private final DeliverHandler handler;
    private final ServerCallStreamObserver<R> out;
    private final DeliverResponseFormat<R> format;
    private final Executor executor;
    private final Optional<byte[]> clientCertHash;
    private final String remoteAddress;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readyOrCancelled = lock.newCondition();
    private final AtomicReference<Runnable> cancelAction = new AtomicReference<>();
    private volatile boolean cancelled;
    private boolean busy;
    private boolean halfClosed;
    private boolean finished;

    GrpcDeliverStream(DeliverHandler handler, ServerCallStreamObserver<R> out, Executor executor,
            DeliverResponseFormat<R> format) {
        this.handler = handler;
        this.out = out;
        this.format = format;
        this.executor = executor;
        this.clientCertHash = TlsPeer.clientCertHash();
        this.remoteAddress = TlsPeer.remoteAddress();
        out.disableAutoRequest();
        out.setOnReadyThreshold(ON_READY_THRESHOLD);
        out.setOnReadyHandler(this::signal);
        out.setOnCancelHandler(this::cancelledByClient);
        handler.streamOpened();
        log.debug("Starting new deliver loop for {}", remoteAddress);
        out.request(1);
    }

    @Override
    public void onNext(Envelope envelope) {
        lock.lock();
        try {
            busy = true;
        } finally {
            lock.unlock();
        }
        executor.execute(() -> process(envelope));
    }

    private void process(Envelope envelope) {
        boolean keepOpen;
        try {
            keepOpen = handler.handle(envelope, this);
        } catch (DeliverAbortedException e) {
            log.debug("Deliver stream from {} aborted: {}", remoteAddress, e.getMessage());
            finish(e);
            return;
        } catch (RuntimeException e) {
            log.error("Deliver stream from {} failed", remoteAddress, e);
            finish(e);
            return;
        }
        if (!keepOpen) {
            finish(null);
            return;
        }
        boolean endNow;
        lock.lock();
        try {
            busy = false;
            endNow = halfClosed || cancelled;
        } finally {
            lock.unlock();
        }
        if (endNow) {
            finish(null);
        } else {
            log.debug("Waiting for new SeekInfo from {}", remoteAddress);
            out.request(1);
        }
    }

    @Override
    public void onError(Throwable t) {
        cancelledByClient();
    }

    /** The client half-closed: Fabric's {@code io.EOF}, the stream ends once the current request is done. */
    @Override
    public void onCompleted() {
        boolean endNow;
        lock.lock();
        try {
            halfClosed = true;
            endNow = !busy;
        } finally {
            lock.unlock();
        }
        if (endNow) {
            log.debug("Received EOF from {}, hangup", remoteAddress);
            finish(null);
        }
    }

    private void finish(Throwable error) {
        lock.lock();
        try {
            if (finished) {
                return;
            }
            finished = true;
        } finally {
            lock.unlock();
        }
        handler.streamClosed();
        if (cancelled) {
            return;
        }
        try {
            if (error == null) {
                out.onCompleted();
            } else {
                out.onError(io.grpc.Status.INTERNAL.withDescription(error.getMessage()).asRuntimeException());
            }
        } catch (IllegalStateException | io.grpc.StatusRuntimeException e) {
            log.debug("Deliver stream from {} already closed: {}", remoteAddress, e.getMessage());
        }
    }

    private void cancelledByClient() {
        cancelled = true;
        Runnable action = cancelAction.getAndSet(null);
        if (action != null) {
            action.run();
        }
        signal();
        boolean idle;
        lock.lock();
        try {
            idle = !busy;
        } finally {
            lock.unlock();
        }
        if (idle) {
            finish(null);
        }
    }

    private void signal() {
        lock.lock();
        try {
            readyOrCancelled.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void sendBlock(Block block) throws DeliverAbortedException {
        send(format.block().apply(block));
    }

    @Override
    public void sendStatus(Status status) throws DeliverAbortedException {
        send(format.status().apply(status));
    }

    private void send(R response) throws DeliverAbortedException {
        awaitReady();
        try {
            out.onNext(response);
        } catch (IllegalStateException | io.grpc.StatusRuntimeException e) {
            throw new DeliverAbortedException("cannot send to " + remoteAddress + ": " + e.getMessage(), e);
        }
    }

    private void awaitReady() throws DeliverAbortedException {
        lock.lock();
        try {
            while (!out.isReady() && !cancelled) {
                readyOrCancelled.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliverAbortedException("interrupted while waiting to send to " + remoteAddress, e);
        } finally {
            lock.unlock();
        }
        if (cancelled) {
            throw new DeliverAbortedException("client " + remoteAddress + " cancelled the stream");
        }
    }

    @Override
    public Optional<byte[]> clientCertHash() {
        return clientCertHash;
    }

    @Override
    public String remoteAddress() {
        return remoteAddress;
    }

    @Override
    public boolean filtered() {
        return format.filtered();
    }

    @Override
    public String dataType() {
        return format.dataType();
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public void onCancel(Runnable action) {
        cancelAction.set(action);
        if (action != null && cancelled && cancelAction.compareAndSet(action, null)) {
            action.run();
        }
    }
}
