package io.fabsim.peer;

import io.fabsim.deliverserver.ChainRegistry;
import io.fabsim.deliverserver.DeliverChain;
import io.fabsim.ledger.BlockStore;
import io.fabsim.ledger.LedgerException;
import io.fabsim.ledger.LedgerManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.hyperledger.fabric.protos.common.Block;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The peer's joined channels (Fabric's {@code Peer.channels}): opens every ledger at start-up
 * ({@code Peer.Initialize}), joins new ones at run time, closes them all at shutdown.
 */
final class Channels implements ChainRegistry, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Channels.class);

    private final LedgerManager ledgers;
    private final ChannelFactory factory;
    private final Map<String, PeerChannel> channels = new TreeMap<>();
    private boolean closed;

    Channels(LedgerManager ledgers, ChannelFactory factory) {
        this.ledgers = ledgers;
        this.factory = factory;
    }

    /**
     * Opens and initializes every ledger under the root. A ledger that cannot be opened, or whose
     * channel cannot be initialized, is logged and skipped; the others start.
     */
    synchronized void openAll() throws LedgerException {
        for (String channelId : ledgers.ledgerIds()) {
            MDC.put("channel", channelId);
            try {
                BlockStore store = ledgers.open(channelId);
                channels.put(channelId, factory.create(store));
                log.info("Channel {} initialized at height {}", channelId, store.height());
            } catch (LedgerException | ChannelInitException e) {
                log.error("Channel {} skipped: {}", channelId, e.getMessage());
            } catch (RuntimeException e) {
                log.error("Channel {} skipped: {}", channelId, e.getMessage(), e);
            } finally {
                MDC.remove("channel");
            }
        }
    }

    /** Creates the ledger from {@code genesis} and initializes the channel, without a restart. */
    synchronized PeerChannel join(Block genesis) throws ChannelJoinException {
        if (closed) {
            throw new ChannelJoinException(ChannelJoinException.Reason.FAILED, "the peer is shutting down");
        }
        String channelId = factory.checkJoinBlock(genesis);
        if (channels.containsKey(channelId) || ledgers.exists(channelId)) {
            throw new ChannelJoinException(ChannelJoinException.Reason.ALREADY_JOINED,
                    "channel " + channelId + ": already joined (its ledger exists)");
        }
        MDC.put("channel", channelId);
        try {
            BlockStore store = ledgers.create(genesis);
            PeerChannel channel = factory.create(store);
            channels.put(channelId, channel);
            log.info("Joined channel {}", channelId);
            return channel;
        } catch (LedgerException e) {
            throw new ChannelJoinException(ChannelJoinException.Reason.FAILED,
                    "channel " + channelId + ": cannot create the ledger: " + e.getMessage(), e);
        } catch (ChannelInitException e) {
            throw new ChannelJoinException(ChannelJoinException.Reason.FAILED,
                    "channel " + channelId + ": ledger created but the channel did not start: " + e.getMessage(), e);
        } finally {
            MDC.remove("channel");
        }
    }

    synchronized Optional<PeerChannel> get(String channelId) {
        return Optional.ofNullable(channels.get(channelId));
    }

    /** The Deliver service's view of a joined channel. */
    @Override
    public Optional<DeliverChain> chain(String channelId) {
        return get(channelId).map(PeerChannel::deliverChain);
    }

    /** The joined channels, sorted by id. */
    synchronized List<PeerChannel> list() {
        return new ArrayList<>(channels.values());
    }

    /** Stops every channel (delivery, committers), then closes the ledgers. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (PeerChannel channel : channels.values()) {
            MDC.put("channel", channel.channelId());
            try {
                channel.close();
            } catch (RuntimeException e) {
                log.warn("Channel {} did not stop cleanly: {}", channel.channelId(), e.getMessage(), e);
            } finally {
                MDC.remove("channel");
            }
        }
        channels.clear();
        try {
            ledgers.close();
        } catch (Exception e) {
            log.warn("Ledgers did not close cleanly: {}", e.getMessage(), e);
        }
    }
}
