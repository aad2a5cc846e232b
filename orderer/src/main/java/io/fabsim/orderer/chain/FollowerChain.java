package io.fabsim.orderer.chain;

import io.fabsim.common.configtx.ChannelConfig;
import io.fabsim.common.protoutil.BlockHashing;
import io.fabsim.common.protoutil.Blocks;
import io.fabsim.common.protoutil.SignedData;
import io.fabsim.common.time.Clock;
import io.fabsim.common.verify.ChannelBlockVerifier;
import io.fabsim.deliverserver.AccessDeniedException;
import io.fabsim.deliverserver.DeliverChain;
import io.fabsim.deliverserver.ErrorSignal;
import io.fabsim.ledger.BlockStore;
import io.fabsim.ledger.LedgerManager;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.hyperledger.fabric.protos.common.Block;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A channel this orderer replicates from another orderer instead of ordering it (after Fabric's
 * follower chain): a thread pulls blocks over Deliver from the ledger's height, checks each one as a
 * peer does (number, data hash, previous hash, the orderer signature against
 * {@code /Channel/Orderer/BlockValidation}), appends it and serves it through Deliver. Without a
 * local ledger it first fetches the genesis block, trusted from the source, creates the ledger and
 * only then registers the channel. After a failure it reconnects after {@code retryInterval},
 * resuming from its height; closing it cancels the stream and leaves the source untouched.
 */
public final class FollowerChain implements DeliverChain, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FollowerChain.class);

    private final String channelId;
    private final Chains chains;
    private final BlockSource source;
    private final Clock clock;
    private final Duration retryInterval;
    private final ErrorSignal errorSignal = new ErrorSignal();
    private final AtomicReference<BlockSource.BlockStream> current = new AtomicReference<>();
    private final Thread thread;
    private volatile BlockStore store;
    private volatile ChannelPolicies policies;
    private ChannelBlockVerifier verifier;
    private volatile boolean running = true;
    private final String nodeName = MDC.get("peer");

    private FollowerChain(String channelId, Chains chains, BlockSource source, Clock clock, Duration retryInterval) {
        this.channelId = channelId;
        this.chains = chains;
        this.source = source;
        this.clock = clock;
        this.retryInterval = retryInterval;
        this.thread = new Thread(this::run, "follower-" + channelId);
        this.thread.setDaemon(true);
    }

    /**
     * Starts following {@code channelId}. When its ledger exists the channel is served at once;
     * otherwise once the genesis block has been fetched from the source.
     */
    public static FollowerChain follow(String channelId, Chains chains, BlockSource source, Clock clock,
            Duration retryInterval) throws Exception {
        FollowerChain follower = new FollowerChain(channelId, chains, source, clock, retryInterval);
        if (chains.ledgers().exists(channelId)) {
            follower.bootstrap(chains.ledgers());
        }
        follower.thread.start();
        return follower;
    }

    public String channelId() {
        return channelId;
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

    private void run() {
        if (nodeName != null) {
            MDC.put("peer", nodeName);
        }
        MDC.put("channel", channelId);
        while (running) {
            try {
                if (store == null) {
                    bootstrap(chains.ledgers());
                }
                replicate();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (running) {
                    log.warn("Following channel {}: {}; retrying in {}", channelId, e.getMessage(), retryInterval);
                }
            }
            try {
                clock.sleep(retryInterval);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void bootstrap(LedgerManager ledgers) throws Exception {
        BlockStore opened;
        if (ledgers.exists(channelId)) {
            opened = ledgers.open(channelId);
        } else {
            Block genesis = firstBlock();
            opened = ledgers.create(genesis);
            log.info("Fetched the genesis block of channel {} from the source", channelId);
        }
        Block last = opened.block(opened.height() - 1);
        applyConfig(ChannelConfig.fromBlock(opened.block(Blocks.lastConfigIndex(last))));
        store = opened;
        chains.register(channelId, this);
        log.info("Following channel {} from height {}", channelId, opened.height());
    }

    private Block firstBlock() throws Exception {
        try (BlockSource.BlockStream stream = source.open(channelId, 0)) {
            current.set(stream);
            Block genesis = stream.next();
            if (genesis == null || genesis.getHeader().getNumber() != 0) {
                throw new IllegalStateException("the source did not send block 0 of channel " + channelId);
            }
            return genesis;
        } finally {
            current.set(null);
        }
    }

    private void replicate() throws Exception {
        try (BlockSource.BlockStream stream = source.open(channelId, store.height())) {
            current.set(stream);
            if (!running) {
                return;
            }
            log.info("Connected to the source for channel {} from block {}", channelId, store.height());
            for (Block block = stream.next(); block != null && running; block = stream.next()) {
                append(block);
            }
        } finally {
            current.set(null);
        }
    }

    private void append(Block block) throws Exception {
        Block last = store.block(store.height() - 1);
        verifier.verify(store.height(), block, BlockHashing.headerHashBytes(last.getHeader()));
        store.append(block);
        if (Blocks.isConfigBlock(block)) {
            applyConfig(ChannelConfig.fromBlock(block));
            log.info("Applied config block {} of channel {}", block.getHeader().getNumber(), channelId);
        }
        log.debug("Replicated block {} of channel {}", block.getHeader().getNumber(), channelId);
    }

    private void applyConfig(ChannelConfig config) {
        verifier = ChannelBlockVerifier.forConfig(config);
        policies = new ChannelPolicies(config);
    }

    @Override
    public void close() {
        running = false;
        BlockSource.BlockStream stream = current.get();
        if (stream != null) {
            stream.close();
        }
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
