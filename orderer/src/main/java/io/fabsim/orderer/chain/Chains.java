package io.fabsim.orderer.chain;

import io.fabsim.common.configtx.ChannelConfig;
import io.fabsim.common.configtx.ConfigTxException;
import io.fabsim.common.crypto.Signer;
import io.fabsim.common.time.Clock;
import io.fabsim.deliverserver.ChainRegistry;
import io.fabsim.deliverserver.DeliverChain;
import io.fabsim.common.time.Scheduler;
import io.fabsim.ledger.BlockStore;
import io.fabsim.ledger.LedgerException;
import io.fabsim.ledger.LedgerManager;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.hyperledger.fabric.protos.common.Block;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The channels this orderer serves (Fabric's multichannel registrar): an ordering {@link Chain}
 * per channel it orders, or any other {@link DeliverChain} registered for a channel it only
 * serves (a follower replicating from another orderer).
 */
public final class Chains implements ChainRegistry, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Chains.class);

    private final LedgerManager ledgers;
    private final Signer signer;
    /** The BatchTimeout timers of every ordering chain. */
    private final Scheduler timers;
    private final Map<String, DeliverChain> chains = new ConcurrentHashMap<>();
    private volatile Function<String, DeliverChain> follow;
    /** The node's name (MDC key {@code peer}) when this registry was made, for the threads of chains joined later. */
    private final String nodeName = MDC.get("peer");

    public Chains(LedgerManager ledgers, Signer signer, Clock clock) {
        this.ledgers = ledgers;
        this.signer = signer;
        this.timers = clock.newScheduler(nodeName == null ? "batch-timers" : "batch-timers-" + nodeName);
    }

    public LedgerManager ledgers() {
        return ledgers;
    }

    /** Starts ordering every channel whose ledger exists, except those in {@code skip} (e.g. followed channels). */
    public void startAll(List<String> skip) throws LedgerException, ConfigTxException {
        for (String channelId : ledgers.ledgerIds()) {
            if (!skip.contains(channelId) && !chains.containsKey(channelId)) {
                chains.put(channelId, Chain.start(ledgers.open(channelId), signer, timers));
            }
        }
    }

    /**
     * Makes {@link #join} follow joined channels (with {@code follow}, given the channel id, which
     * serves the channel from its new ledger) instead of ordering them: an orderer configured as a
     * follower of another one joins channels as a follower, as in Fabric's channel participation.
     */
    public void followJoinedChannels(Function<String, DeliverChain> follow) {
        this.follow = follow;
    }

    /**
     * Joins a channel from its genesis block (Fabric's channel participation join): creates its
     * ledger and starts ordering it, or following it (see {@link #followJoinedChannels}).
     *
     * @return the channel's id
     * @throws LedgerException when the channel exists or the ledger cannot be created
     */
    public synchronized String join(Block genesis) throws LedgerException, ConfigTxException {
        ChannelConfig config = ChannelConfig.fromBlock(genesis);
        String channelId = config.channelId();
        if (chains.containsKey(channelId) || ledgers.exists(channelId)) {
            throw new LedgerException("channel " + channelId + ": already exists");
        }
        BlockStore store = ledgers.create(genesis);
        if (nodeName != null) {
            MDC.put("peer", nodeName);
        }
        try {
            startJoined(channelId, store);
        } finally {
            MDC.remove("peer");
        }
        return channelId;
    }

    private void startJoined(String channelId, BlockStore store) throws LedgerException, ConfigTxException {
        Function<String, DeliverChain> follower = follow;
        if (follower != null) {
            follower.apply(channelId);
            log.info("Joined channel {} from its genesis block as a follower", channelId);
        } else {
            chains.put(channelId, Chain.start(store, signer, timers));
            log.info("Joined channel {} from its genesis block", channelId);
        }
    }

    /** Serves {@code chain} (e.g. a follower) under {@code channelId}. */
    public void register(String channelId, DeliverChain chain) {
        chains.put(channelId, chain);
    }

    @Override
    public Optional<DeliverChain> chain(String channelId) {
        return Optional.ofNullable(chains.get(channelId));
    }

    /** The ordering chain of {@code channelId}, empty when unknown or only followed. */
    public Optional<Chain> orderingChain(String channelId) {
        return chains.get(channelId) instanceof Chain chain ? Optional.of(chain) : Optional.empty();
    }

    /** Every served channel by id, sorted. */
    public Map<String, DeliverChain> all() {
        return new TreeMap<>(chains);
    }

    @Override
    public void close() {
        for (DeliverChain chain : chains.values()) {
            if (chain instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    log.warn("Closing a chain failed: {}", e.getMessage());
                }
            }
        }
        chains.clear();
        timers.close();
    }
}
