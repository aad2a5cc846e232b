package io.fabsim.peer.grpc;

import io.fabsim.common.tls.TlsPeer;
import io.fabsim.orderer.deliver.DeliverAbortedException;
import io.fabsim.orderer.deliver.DeliverHandler;
import io.fabsim.orderer.deliver.DeliverResponder;
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
import org.hyperledger.fabric.protos.peer.DeliverResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code protos.Deliver/Deliver} or {@code DeliverFiltered} stream over the orderer's shared
 * {@link DeliverHandler} (same seek semantics and statuses). Requests are read one at a time; each
 * runs on a worker of {@code executor} since it may wait for blocks; after {@code SUCCESS} the next
 * request is read, after any other status the stream ends. Sends wait for the transport to be
 * ready, so a slow client holds back only its own stream.
 */
final class PeerDeliverStream implements StreamObserver<Envelope>, DeliverResponder {

    private static final Logger log = LoggerFactory.getLogger(PeerDeliverStream.class);

    private final DeliverHandler handler;
    private final ServerCallStreamObserver<DeliverResponse> out;
    private final Executor executor;
    private final boolean filtered;
    private final Optional<byte[]> clientCertHash = TlsPeer.clientCertHash();
    private final String remoteAddress = TlsPeer.remoteAddress();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readyOrCancelled = lock.newCondition();
    private final AtomicReference<Runnable> cancelAction = new AtomicReference<>();
    private volatile boolean cancelled;
    private boolean busy;
    private boolean halfClosed;
    private boolean finished;

    PeerDeliverStream(DeliverHandler handler, ServerCallStreamObserver<DeliverResponse> out, Executor executor,
            boolean filtered) {
        this.handler = handler;
        this.out = out;
        this.executor = executor;
        this.filtered = filtered;
        out.disableAutoRequest();
        out.setOnReadyHandler(this::signal);
        out.setOnCancelHandler(this::cancelledByClient);
        handler.streamOpened();
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
        boolean endNow;
        lock.lock();
        try {
            busy = false;
            endNow = !keepOpen || halfClosed;
        } finally {
            lock.unlock();
        }
        if (endNow) {
            finish(null);
        } else {
            out.request(1);
        }
    }

    @Override
    public void onError(Throwable t) {
        cancelledByClient();
    }

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
        send(filtered ? DeliverResponse.newBuilder().setFilteredBlock(FilteredBlocks.of(block)).build()
                : DeliverResponse.newBuilder().setBlock(block).build());
    }

    @Override
    public void sendStatus(Status status) throws DeliverAbortedException {
        send(DeliverResponse.newBuilder().setStatus(status).build());
    }

    private void send(DeliverResponse response) throws DeliverAbortedException {
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
        try {
            out.onNext(response);
        } catch (IllegalStateException | io.grpc.StatusRuntimeException e) {
            throw new DeliverAbortedException("cannot send to " + remoteAddress + ": " + e.getMessage(), e);
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
        return filtered;
    }

    @Override
    public String dataType() {
        return filtered ? "filtered_block" : "block";
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
