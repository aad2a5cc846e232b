package io.fabsim.gossip;

import io.fabsim.common.time.Clock;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.hyperledger.fabric.protos.common.Block;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The re-ordering buffer of one channel (Fabric's {@code PayloadsBuffer} with the admission rules
 * of {@code GossipStateProviderImpl.addPayload}): blocks arrive in any order from the deliver
 * client, from peers and from state transfer, and leave strictly in block-number order, one
 * number at a time, to the {@link Committer}.
 *
 * <p>Admission: a block below the ledger height or already waiting is dropped. A block
 * {@code capacity} or more ahead of the height is dropped when it comes from gossip or state
 * transfer, and waits (up to {@code ordererWait}, interruptibly) when it comes from the orderer,
 * which slows the Deliver stream down instead of losing the block. So the buffer never holds more
 * than {@code capacity} blocks, whatever arrives.
 *
 * <p>The committer removes the block at the height with {@link #awaitNext}; if that block then
 * fails verification, the number is free again and another copy is accepted.
 */
public final class PayloadBuffer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PayloadBuffer.class);

    private final String channelId;
    private final int capacity;
    private final Duration ordererWait;
    private final GossipMetrics.Channel metrics;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final TreeMap<Long, Block> blocks = new TreeMap<>();
    private long height;
    /** The number the committer took and is verifying, or -1: a copy of it is a duplicate meanwhile. */
    private long inFlight = -1;
    private boolean closed;
    /** Set by {@link #wakeUp}: the current {@link #awaitNext} returns null at once. */
    private boolean wakeUp;

    /**
     * @param height the ledger height: the number of the first block the buffer will release
     * @param capacity Fabric's {@code peer.gossip.state.blockBufferSize}, at least 1
     * @param ordererWait how long an orderer block waits for room before {@link AddResult#TIMED_OUT}
     * @param clock the time of every timed wait here
     */
    public PayloadBuffer(String channelId, long height, int capacity, Duration ordererWait, GossipMetrics.Channel metrics,
            Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("channel " + channelId + ": buffer capacity must be >= 1, got " + capacity);
        }
        this.channelId = channelId;
        this.height = height;
        this.capacity = capacity;
        this.ordererWait = ordererWait;
        this.metrics = metrics;
        this.clock = clock;
    }

    public String channelId() {
        return channelId;
    }

    /**
     * Offers a block. From {@link Source#ORDERER} this may wait for the committer to make room.
     *
     * @throws InterruptedException when an orderer block's wait is interrupted
     */
    public AddResult add(Block block, Source source) throws InterruptedException {
        long number = block.getHeader().getNumber();
        lock.lockInterruptibly();
        try {
            long remaining = ordererWait.toNanos();
            while (!closed && number >= height + capacity && source == Source.ORDERER && remaining > 0) {
                remaining = clock.awaitNanos(changed, remaining);
            }
            AddResult result = admit(number, source);
            if (result.accepted()) {
                blocks.put(number, block);
                metrics.bufferSize().set(blocks.size());
                changed.signalAll();
            }
            if (log.isDebugEnabled() && !result.accepted()) {
                log.debug("block {} from {} not buffered: {} (height {})", number, source,
                        result, height);
            }
            return result;
        } finally {
            lock.unlock();
        }
    }

    private AddResult admit(long number, Source source) {
        if (closed) {
            return AddResult.CLOSED;
        }
        if (number < height) {
            return AddResult.BELOW_HEIGHT;
        }
        if (blocks.containsKey(number) || number == inFlight) {
            return AddResult.DUPLICATE;
        }
        if (number >= height + capacity) {
            return source == Source.ORDERER ? AddResult.TIMED_OUT : AddResult.TOO_FAR_AHEAD;
        }
        return AddResult.ACCEPTED;
    }

    /** True when block {@code number} is committed or waiting here: a copy of it adds nothing. */
    public boolean has(long number) {
        lock.lock();
        try {
            return number < height || number == inFlight || blocks.containsKey(number);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The lowest number from the height up to (not including) {@code number} that is neither
     * waiting here nor being committed, if any. For a block from the orderer, whose blocks arrive in
     * order, such a gap means a block handed over earlier was refused by the committer.
     */
    public OptionalLong missingBelow(long number) {
        lock.lock();
        try {
            for (long n = height; n < number; n++) {
                if (n != inFlight && !blocks.containsKey(n)) {
                    return OptionalLong.of(n);
                }
            }
            return OptionalLong.empty();
        } finally {
            lock.unlock();
        }
    }

    /** The ledger height as the buffer knows it (advanced by the committer after each commit). */
    public long height() {
        lock.lock();
        try {
            return height;
        } finally {
            lock.unlock();
        }
    }

    public int size() {
        lock.lock();
        try {
            return blocks.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes and returns the block numbered {@link #height()}, waiting up to {@code timeout} for it;
     * null on timeout or when closed. Until {@link #advanceTo} or {@link #release}, copies of that
     * number are duplicates.
     */
    Block awaitNext(Duration timeout) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            long remaining = timeout.toNanos();
            while (!closed && !wakeUp && !blocks.containsKey(height)) {
                if (remaining <= 0) {
                    return null;
                }
                remaining = clock.awaitNanos(changed, remaining);
            }
            if (closed || wakeUp) {
                wakeUp = false;
                return null;
            }
            Block next = blocks.remove(height);
            inFlight = height;
            metrics.bufferSize().set(blocks.size());
            changed.signalAll();
            return next;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the height reaches {@code target}; false on timeout or when closed. */
    boolean awaitHeight(long target, Duration timeout) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            long remaining = timeout.toNanos();
            while (!closed && height < target) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = clock.awaitNanos(changed, remaining);
            }
            return !closed;
        } finally {
            lock.unlock();
        }
    }

    /** Makes a waiting {@link #awaitNext} (or the next call) return null now: its committer is stopping. */
    void wakeUp() {
        lock.lock();
        try {
            wakeUp = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The committer refused the block it took: the number is free for another copy. */
    void release(long number) {
        lock.lock();
        try {
            if (inFlight == number) {
                inFlight = -1;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Called by the committer after appending: drops what is now below the height and wakes waiters. */
    void advanceTo(long newHeight) {
        lock.lock();
        try {
            height = Math.max(height, newHeight);
            if (inFlight < height) {
                inFlight = -1;
            }
            blocks.headMap(height).clear();
            metrics.bufferSize().set(blocks.size());
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Drops every waiting block and wakes every waiter; later adds return {@link AddResult#CLOSED}. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            blocks.clear();
            metrics.bufferSize().set(0);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
