package io.fabsim.orderer.chain;

import io.fabsim.common.configtx.ChannelConfig;
import io.fabsim.common.configtx.ConfigTxException;
import io.fabsim.common.crypto.Signer;
import io.fabsim.common.protoutil.Blocks;
import io.fabsim.common.protoutil.EnvelopeException;
import io.fabsim.common.protoutil.SignedData;
import io.fabsim.common.time.Scheduler;
import io.fabsim.common.verify.PolicyEvaluationException;
import io.fabsim.deliverserver.AccessDeniedException;
import io.fabsim.deliverserver.DeliverChain;
import io.fabsim.deliverserver.ErrorSignal;
import io.fabsim.ledger.BlockStore;
import io.fabsim.ledger.LedgerException;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One channel this orderer orders (Fabric's solo consenter): messages accepted by Broadcast are
 * queued, batched by the {@link BlockCutter} under the current config's BatchSize, cut by the
 * BatchTimeout timer, and written by the {@link BlockWriter} on the chain's own thread. Config
 * messages cut the pending batch, then go alone in a config block whose config applies at once.
 * An append failure halts the chain (its {@link ErrorSignal} is raised).
 */
public final class Chain implements DeliverChain, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Chain.class);

    private record Normal(Envelope envelope) {
    }

    private record Config(Envelope envelope, ChannelConfig newConfig) {
    }

    /** The BatchTimeout timer of the batch pending since timer {@code id} was set fired. */
    private record TimerFired(long id) {
    }

    private static final Object STOP = new Object();

    private final BlockStore store;
    /** Sets the BatchTimeout timer (shared by the orderer's chains). */
    private final Scheduler timers;
    private final BlockWriter writer;
    private final BlockCutter cutter = new BlockCutter();
    private final ErrorSignal errorSignal = new ErrorSignal();
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Object pauseLock = new Object();
    private final Thread thread;
    private volatile ChannelPolicies policies;
    private volatile boolean paused;
    private volatile boolean running = true;
    private final String nodeName = MDC.get("peer");
    /** The pending batch's timer (chain thread only): its id, and how to cancel it; none when null. */
    private Scheduler.Cancellable timer;
    private long timerId;

    private Chain(BlockStore store, ChannelConfig config, long lastConfigIndex, Signer signer, Scheduler timers)
            throws LedgerException {
        this.store = store;
        this.timers = timers;
        this.policies = new ChannelPolicies(config);
        this.writer = new BlockWriter(store, signer, lastConfigIndex);
        this.thread = new Thread(this::run, "chain-" + store.channelId());
        this.thread.setDaemon(true);
    }

    /**
     * Opens the chain over a ledger holding at least its genesis block, reading its last config, and starts
     * ordering; {@code timers} runs its BatchTimeout timer.
     */
    public static Chain start(BlockStore store, Signer signer, Scheduler timers) throws LedgerException, ConfigTxException {
        Block last = store.block(store.height() - 1);
        long lastConfigIndex;
        try {
            lastConfigIndex = Blocks.lastConfigIndex(last);
        } catch (EnvelopeException e) {
            throw new LedgerException("channel " + store.channelId() + ": block " + last.getHeader().getNumber()
                    + " has no readable last-config index: " + e.getMessage(), e);
        }
        ChannelConfig config = ChannelConfig.fromBlock(store.block(lastConfigIndex));
        Chain chain = new Chain(store, config, lastConfigIndex, signer, timers);
        chain.thread.start();
        log.info("Started ordering channel {} at height {} (last config block {}, sequence {})",
                store.channelId(), store.height(), lastConfigIndex, config.sequence());
        return chain;
    }

    public String channelId() {
        return store.channelId();
    }

    public ChannelConfig config() {
        return policies.config();
    }

    @Override
    public BlockStore blocks() {
        return store;
    }

    @Override
    public ErrorSignal errorSignal() {
        return errorSignal;
    }

    @Override
    public long configSequence() {
        return policies.config().sequence();
    }

    @Override
    public void checkReaders(SignedData request) throws AccessDeniedException {
        policies.checkReaders(request);
    }

    /** Checks {@code /Channel/Writers}, as Fabric's Broadcast sig filter. */
    void checkWriters(SignedData request) throws PolicyEvaluationException {
        policies.check(ChannelPolicies.WRITERS, List.of(request));
    }

    /** Queues a normal message for ordering. */
    void order(Envelope message) {
        queue.add(new Normal(message));
    }

    /** Queues a CONFIG envelope carrying {@code newConfig}; its block applies it. */
    void configure(Envelope configEnvelope, ChannelConfig newConfig) {
        queue.add(new Config(configEnvelope, newConfig));
    }

    /**
     * Stops cutting blocks (messages still queue) until {@link #resume()}. When this returns, no block
     * is being written and none will be until resumed: a block being cut finishes first.
     */
    public void pause() {
        synchronized (pauseLock) {
            paused = true;
        }
        log.info("Block cutting paused on channel {}", channelId());
    }

    public void resume() {
        synchronized (pauseLock) {
            paused = false;
            pauseLock.notifyAll();
        }
        log.info("Block cutting resumed on channel {}", channelId());
    }

    public boolean isPaused() {
        return paused;
    }

    /** True when the chain thread waits (for a message, or for resume) with nothing queued: tests step on it. */
    boolean idle() {
        return queue.isEmpty() && thread.getState() == Thread.State.WAITING;
    }

    private void run() {
        if (nodeName != null) {
            MDC.put("peer", nodeName);
        }
        MDC.put("channel", channelId());
        try {
            while (running) {
                Object item = queue.take();
                if (item == STOP) {
                    return;
                }
                // an item taken (or a timer fired) while pausing waits for resume; pause() waits for a cut under way
                synchronized (pauseLock) {
                    while (paused && running) {
                        pauseLock.wait();
                    }
                    if (!running) {
                        return;
                    }
                    process(item);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (LedgerException | RuntimeException e) {
            log.error("Channel {} halted: cannot write a block: {}", channelId(), e.getMessage(), e);
            errorSignal.raise("cannot write a block: " + e.getMessage());
        }
    }

    /** Handles one queue item: a message, a config message, or the pending batch's timer. */
    private void process(Object item) throws LedgerException {
        if (item instanceof TimerFired fired) {
            if (timer != null && fired.id() == timerId) {
                timer = null;
                List<Envelope> batch = cutter.cut();
                if (!batch.isEmpty()) {
                    write(batch);
                }
            }
            return;
        }
        if (item instanceof Config config) {
            if (config.newConfig().sequence() != configSequence() + 1) {
                log.warn("Dropping a config update to sequence {}: the config moved to sequence {} meanwhile",
                        config.newConfig().sequence(), configSequence());
                return;
            }
            stopTimer();
            List<Envelope> batch = cutter.cut();
            if (!batch.isEmpty()) {
                write(batch);
            }
            // As Fabric's WriteConfigBlock: the new config is in force before its block is written.
            policies = new ChannelPolicies(config.newConfig());
            Block block = writer.writeConfigBlock(writer.createNextBlock(List.of(config.envelope())));
            log.info("Wrote config block {} on channel {} (config sequence {})", block.getHeader().getNumber(),
                    channelId(), config.newConfig().sequence());
            return;
        }
        BlockCutter.Ordered ordered = cutter.ordered(((Normal) item).envelope(), config().batchSize());
        for (List<Envelope> batch : ordered.batches()) {
            write(batch);
        }
        if (!ordered.pending()) {
            stopTimer();
        } else if (timer == null) {
            long id = ++timerId;
            timer = timers.schedule(config().batchTimeout(), () -> queue.add(new TimerFired(id)));
        }
    }

    /** The pending batch was cut: its timer, if set, must cut nothing. */
    private void stopTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private void write(List<Envelope> batch) throws LedgerException {
        Block block = writer.writeBlock(writer.createNextBlock(batch));
        log.debug("Wrote block {} with {} messages on channel {}", block.getHeader().getNumber(), batch.size(), channelId());
    }

    /** Stops the ordering thread; queued messages not yet in a block are dropped, as when a process stops. */
    @Override
    public void close() {
        running = false;
        queue.add(STOP);
        synchronized (pauseLock) {
            pauseLock.notifyAll();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
