package io.fabsim.gossip;

import io.fabsim.common.time.Clock;
import io.fabsim.common.verify.InvalidBlockException;
import io.fabsim.ledger.BlockStore;
import io.fabsim.ledger.LedgerException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The commit loop of one channel (Fabric's {@code deliverPayloads} + {@code commitBlock}): a thread
 * takes the block at the ledger height from the {@link PayloadBuffer}, checks that it chains to the
 * last committed block, verifies it with the channel's {@link BlockVerifier}, writes the
 * transaction filter its {@link TxValidator} decides (by default: duplicate tx ids marked
 * {@code DUPLICATE_TXID}) and Fabric's {@link CommitHash}, appends it to the
 * {@link BlockStore} and publishes the new height. A block that fails any check is logged and
 * discarded; the buffer then accepts another copy of that number.
 *
 * <p>A block is verified once, where it enters the peer, as Fabric does (gossip's channel verifies
 * a pushed block, state transfer a fetched one): {@link #verifyOnReceipt} remembers the very block
 * object it passed and the verifier that passed it, and the commit of that object skips the second
 * verification unless the verifier was replaced (a config block) in between.
 */
public final class Committer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Committer.class);
    private static final Duration POLL = Duration.ofMillis(200);

    /** What a committer works with. {@code peer} names the local peer in log lines (MDC key {@code peer}). */
    public record Setup(String peer, BlockStore store, PayloadBuffer buffer, BlockVerifier verifier, TxIdIndex txIds,
            Clock clock, GossipMetrics.Channel metrics) {

        public Setup {
            Objects.requireNonNull(store, "store");
            Objects.requireNonNull(buffer, "buffer");
            Objects.requireNonNull(verifier, "verifier");
            Objects.requireNonNull(txIds, "txIds");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(metrics, "metrics");
        }
    }

    private final Setup setup;
    private final String channelId;
    private final List<CommitListener> listeners = new CopyOnWriteArrayList<>();
    private volatile ConfigBlockListener configListener = (channel, block) -> { };
    private volatile BlockVerifier verifier;
    /** Blocks {@link #verifyOnReceipt} passed, by number, with the verifier that passed them; none below the height. */
    private final ConcurrentSkipListMap<Long, Verified> verifiedOnReceipt = new ConcurrentSkipListMap<>();
    private volatile TxValidator txValidator;
    private final CommitHash commitHash = new CommitHash();
    private volatile boolean running;
    private Thread thread;

    public Committer(Setup setup) {
        this.setup = setup;
        this.channelId = setup.store().channelId();
        this.verifier = setup.verifier();
        this.txValidator = block -> BlockContents.transactionFilter(BlockContents.channelHeaders(block), setup.txIds());
        if (!channelId.equals(setup.buffer().channelId())) {
            throw new IllegalArgumentException("committer: store is for channel " + channelId
                    + " but the payload buffer is for channel " + setup.buffer().channelId());
        }
    }

    public String channelId() {
        return channelId;
    }

    public void addListener(CommitListener listener) {
        listeners.add(listener);
    }

    /** The one config listener; it runs before the block after a config block is verified. */
    public void setConfigListener(ConfigBlockListener listener) {
        this.configListener = Objects.requireNonNull(listener);
    }

    public PayloadBuffer buffer() {
        return setup.buffer();
    }

    public BlockStore store() {
        return setup.store();
    }

    /** The verifier in use now. */
    public BlockVerifier verifier() {
        return verifier;
    }

    /**
     * Verifies a block on its way into the peer (pushed by a peer, or fetched by state transfer) with
     * the verifier in use now. When it passes, committing this same block object does not verify it
     * again, unless {@link #replaceVerifier} ran in between.
     *
     * @throws InvalidBlockException as {@link BlockVerifier#verify} does
     */
    public void verifyOnReceipt(Block block) throws InvalidBlockException {
        BlockVerifier current = verifier;
        current.verify(block);
        long number = block.getHeader().getNumber();
        if (number >= setup.buffer().height()) {
            verifiedOnReceipt.put(number, new Verified(block, current));
        }
    }

    /** The transaction validator for the blocks after the current one (set before {@link #start()}). */
    public void setTxValidator(TxValidator validator) {
        this.txValidator = Objects.requireNonNull(validator);
    }

    /** Replaces the verifier for the blocks after the current one (e.g. from a config listener). */
    public void replaceVerifier(BlockVerifier newVerifier) {
        this.verifier = Objects.requireNonNull(newVerifier);
    }

    /** Rebuilds an in-memory tx id index from the ledger if needed, then starts the commit thread. */
    public synchronized void start() throws LedgerException {
        if (running) {
            return;
        }
        if (setup.txIds() instanceof InMemoryTxIdIndex) {
            rebuildTxIndex();
        }
        long height = setup.store().height();
        if (height > 0) {
            commitHash.resumeFrom(setup.store().block(height - 1));
        }
        setup.buffer().advanceTo(height);
        publishHeight(height);
        running = true;
        thread = new Thread(this::run, "committer-" + channelId);
        thread.setDaemon(true);
        thread.start();
        log.info("committer of channel {} started at height {}", channelId, height);
    }

    /** Stops the commit thread after the block it is committing, if any. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
            thread = null;
        }
        if (t != null) {
            // No interrupt while the thread may be appending: an interrupt during FileChannel I/O
            // closes the block file. The loop sees running == false once woken (or within one POLL).
            setup.buffer().wakeUp();
            try {
                t.join(10_000);
                if (t.isAlive()) {
                    log.warn("committer of channel {} did not stop within 10 s; interrupting it", channelId);
                    t.interrupt();
                    t.join(5_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            log.info("committer of channel {} stopped at height {}", channelId, setup.store().height());
        }
    }

    private void run() {
        MDC.put("channel", channelId);
        if (setup.peer() != null) {
            MDC.put("peer", setup.peer());
        }
        try {
            while (running) {
                Block next = setup.buffer().awaitNext(POLL);
                if (next != null && !commit(next)) {
                    setup.buffer().release(next.getHeader().getNumber());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("committer stopped by an unexpected error", e);
        } finally {
            MDC.clear();
        }
    }

    /** Verifies and appends one block; returns false when it was refused. */
    boolean commit(Block block) {
        long start = setup.clock().nanoTime();
        long number = block.getHeader().getNumber();
        try {
            checkChain(block);
            Verified onReceipt = verifiedOnReceipt.remove(number);
            if (onReceipt == null || onReceipt.block() != block || onReceipt.verifier() != verifier) {
                verifier.verify(block);
            }
        } catch (InvalidBlockException e) {
            setup.metrics().counters().rejected().inc();
            log.warn("block {} refused, not committed: {}", number, e.getMessage());
            return false;
        }
        List<ChannelHeader> headers = BlockContents.channelHeaders(block);
        byte[] filter;
        try {
            filter = txValidator.validate(block);
        } catch (InvalidBlockException | IllegalStateException e) {
            log.error("block {} not committed: {}", number, e.getMessage());
            return false;
        }
        Block committed = commitHash.addTo(BlockContents.withFilter(block, filter));
        try {
            setup.store().append(committed);
        } catch (LedgerException e) {
            log.error("block {} could not be appended to the ledger: {}", number,
                    e.getMessage(), e);
            return false;
        }
        commitHash.committed(committed);
        setup.txIds().addAll(BlockContents.validTxIds(headers, filter));
        long height = number + 1;
        setup.buffer().advanceTo(height);
        verifiedOnReceipt.headMap(height).clear();
        setup.metrics().commitDuration().observe((setup.clock().nanoTime() - start) / 1e9);
        publishHeight(height);
        log.debug("committed block {} ({} txs)", number, headers.size());
        if (BlockContents.isConfigBlock(headers)) {
            log.info("committed config block {}", number);
            notifyConfig(committed);
        }
        notifyListeners(committed, height);
        return true;
    }

    private void checkChain(Block block) throws InvalidBlockException {
        long number = block.getHeader().getNumber();
        long height = setup.store().height();
        if (number != height) {
            throw new InvalidBlockException(InvalidBlockException.Reason.WRONG_NUMBER, "channel " + channelId
                    + ": block " + number + ": expected block number " + height + " (the ledger height)");
        }
        if (number == 0) {
            return;
        }
        byte[] expected = setup.store().info().currentBlockHash();
        byte[] actual = block.getHeader().getPreviousHash().toByteArray();
        if (!Arrays.equals(expected, actual)) {
            throw new InvalidBlockException(InvalidBlockException.Reason.PREVIOUS_HASH_MISMATCH, "channel " + channelId
                    + ": block " + number + ": previous hash mismatch: expected " + hex(expected) + " got " + hex(actual));
        }
    }

    private void rebuildTxIndex() throws LedgerException {
        long height = setup.store().height();
        for (long n = 0; n < height; n++) {
            Block block = setup.store().block(n);
            List<ChannelHeader> headers = BlockContents.channelHeaders(block);
            byte[] filter = BlockContents.filterOf(block);
            if (filter.length != headers.size()) {
                filter = new byte[headers.size()];
            }
            setup.txIds().addAll(BlockContents.validTxIds(headers, filter));
        }
    }

    private void publishHeight(long height) {
        setup.metrics().stateHeight().set(height);
        setup.metrics().ledgerHeight().set(height);
    }

    private void notifyConfig(Block block) {
        try {
            configListener.configCommitted(channelId, block);
        } catch (RuntimeException e) {
            log.error("config listener failed on block {}", block.getHeader().getNumber(), e);
        }
    }

    private void notifyListeners(Block block, long height) {
        for (CommitListener listener : listeners) {
            try {
                listener.committed(channelId, block, height);
            } catch (RuntimeException e) {
                log.error("commit listener {} failed on block {}", listener,
                        block.getHeader().getNumber(), e);
            }
        }
    }

    /** A block object and the verifier that passed it. */
    private record Verified(Block block, BlockVerifier verifier) {
    }

    private static String hex(byte[] bytes) {
        String h = HexFormat.of().formatHex(bytes);
        return h.isEmpty() ? "(empty)" : h.length() > 16 ? h.substring(0, 16) + ".." : h;
    }
}
