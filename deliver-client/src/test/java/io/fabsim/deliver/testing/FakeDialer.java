package io.fabsim.deliver.testing;

import io.fabsim.deliver.DeliverStream;
import io.fabsim.deliver.DeliverTransportException;
import io.fabsim.deliver.Dialer;
import io.fabsim.deliver.OrdererConnection;
import io.fabsim.deliver.OrdererEndpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;

/**
 * A scripted {@link Dialer}: dial number {@code i} (from 0) behaves as {@code scripts.apply(i)}
 * says: fail to dial, fail to open the stream, fail to send, or answer with a list of responses and
 * errors, then wait until cancelled (or hang up). Counts everything the deliver loop does.
 */
public final class FakeDialer implements Dialer {

    /** What one connection does. */
    public static final class Script {
        boolean dialFails;
        boolean deliverFails;
        boolean sendFails;
        final List<Object> responses = new ArrayList<>();
        boolean hangUpAtEnd;

        public static Script dialFails() {
            Script s = new Script();
            s.dialFails = true;
            return s;
        }

        public static Script deliverFails() {
            Script s = new Script();
            s.deliverFails = true;
            return s;
        }

        public static Script sendFails() {
            Script s = new Script();
            s.sendFails = true;
            return s;
        }

        /** Connects and waits for blocks that never come (until cancelled). */
        public static Script idle() {
            return new Script();
        }

        public static Script blocks(List<Block> blocks) {
            Script s = new Script();
            blocks.forEach(b -> s.responses.add(DeliverResponse.newBuilder().setBlock(b).build()));
            return s;
        }

        public Script thenBlock(Block block) {
            responses.add(DeliverResponse.newBuilder().setBlock(block).build());
            return this;
        }

        public Script thenStatus(Status status) {
            responses.add(DeliverResponse.newBuilder().setStatus(status).build());
            return this;
        }

        public Script thenRecvError(String message) {
            responses.add(new DeliverTransportException(message));
            return this;
        }

        public Script thenHangUp() {
            hangUpAtEnd = true;
            return this;
        }
    }

    private volatile IntFunction<Script> scripts;
    private final Optional<byte[]> certHash;
    public final List<OrdererEndpoint> dialed = new CopyOnWriteArrayList<>();
    public final List<Envelope> sent = new CopyOnWriteArrayList<>();
    public final AtomicInteger recvCalls = new AtomicInteger();
    public final AtomicInteger closeSends = new AtomicInteger();
    public final AtomicInteger openConnections = new AtomicInteger();
    public final AtomicInteger closedConnections = new AtomicInteger();

    public FakeDialer(IntFunction<Script> scripts) {
        this(scripts, Optional.empty());
    }

    public FakeDialer(IntFunction<Script> scripts, Optional<byte[]> certHash) {
        this.scripts = scripts;
        this.certHash = certHash;
    }

    /** Dials script {@code list[i]}, then idle connections once the list is used up. */
    public static FakeDialer of(Script... list) {
        return new FakeDialer(i -> i < list.length ? list[i] : Script.idle());
    }

    public void setScripts(IntFunction<Script> scripts) {
        this.scripts = scripts;
    }

    public int dials() {
        return dialed.size();
    }

    @Override
    public Optional<byte[]> clientCertificateHash() {
        return certHash;
    }

    @Override
    public OrdererConnection dial(OrdererEndpoint endpoint, Duration timeout) throws DeliverTransportException {
        int index = dialed.size();
        dialed.add(endpoint);
        Script script = scripts.apply(index);
        if (script.dialFails) {
            throw new DeliverTransportException("fake-dial-error");
        }
        openConnections.incrementAndGet();
        return new FakeConnection(script);
    }

    private final class FakeConnection implements OrdererConnection {
        private final Script script;
        private final AtomicInteger closed = new AtomicInteger();
        private FakeStream stream;

        FakeConnection(Script script) {
            this.script = script;
        }

        @Override
        public DeliverStream openDeliver() throws DeliverTransportException {
            if (script.deliverFails) {
                throw new DeliverTransportException("fake-deliver-error");
            }
            stream = new FakeStream(script);
            return stream;
        }

        @Override
        public void close() {
            if (closed.getAndIncrement() == 0) {
                openConnections.decrementAndGet();
                closedConnections.incrementAndGet();
                if (stream != null) {
                    stream.cancel();
                }
            }
        }
    }

    private final class FakeStream implements DeliverStream {
        private final Script script;
        private final CountDownLatch cancelled = new CountDownLatch(1);
        private int next;

        FakeStream(Script script) {
            this.script = script;
        }

        @Override
        public void send(Envelope envelope) throws DeliverTransportException {
            sent.add(envelope);
            if (script.sendFails) {
                throw new DeliverTransportException("fake-send-error");
            }
        }

        @Override
        public DeliverResponse recv() throws DeliverTransportException, InterruptedException {
            recvCalls.incrementAndGet();
            if (cancelled.getCount() == 0) {
                throw new DeliverTransportException("cancelled");
            }
            if (next < script.responses.size()) {
                Object r = script.responses.get(next++);
                if (r instanceof DeliverTransportException e) {
                    throw e;
                }
                return (DeliverResponse) r;
            }
            if (script.hangUpAtEnd) {
                throw new DeliverTransportException("orderer hung up without sending status");
            }
            if (!cancelled.await(60, TimeUnit.SECONDS)) {
                throw new DeliverTransportException("fake stream idle for 60s");
            }
            throw new DeliverTransportException("cancelled");
        }

        @Override
        public void closeSend() {
            closeSends.incrementAndGet();
        }

        @Override
        public void cancel() {
            cancelled.countDown();
        }
    }
}
