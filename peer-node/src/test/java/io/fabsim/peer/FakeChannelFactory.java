package io.fabsim.peer;

import io.fabsim.common.protoutil.Blocks;
import io.fabsim.common.protoutil.EnvelopeException;
import io.fabsim.common.protoutil.SignedData;
import io.fabsim.deliverserver.DeliverChain;
import io.fabsim.deliverserver.ErrorSignal;
import io.fabsim.ledger.BlockStore;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hyperledger.fabric.protos.common.Block;

/** Creates channels that only hold their ledger; channel ids in {@link #failing} fail to initialize. */
final class FakeChannelFactory implements ChannelFactory {

    final LeaderMode mode;
    final Set<String> failing = ConcurrentHashMap.newKeySet();
    final List<FakeChannel> created = new CopyOnWriteArrayList<>();

    FakeChannelFactory(LeaderMode mode) {
        this.mode = mode;
    }

    @Override
    public String checkJoinBlock(Block block) throws ChannelJoinException {
        if (!Blocks.isConfigBlock(block)) {
            throw new ChannelJoinException(ChannelJoinException.Reason.BAD_BLOCK, "not a config block");
        }
        try {
            return Blocks.channelId(block);
        } catch (EnvelopeException e) {
            throw new ChannelJoinException(ChannelJoinException.Reason.BAD_BLOCK, e.getMessage(), e);
        }
    }

    @Override
    public PeerChannel create(BlockStore store) throws ChannelInitException {
        if (failing.contains(store.channelId())) {
            throw new ChannelInitException("channel " + store.channelId() + ": config block is not valid");
        }
        FakeChannel channel = new FakeChannel(store, mode);
        created.add(channel);
        return channel;
    }

    static final class FakeChannel implements PeerChannel {
        final BlockStore store;
        final LeaderMode mode;
        volatile boolean closed;
        final ErrorSignal errors = new ErrorSignal();

        FakeChannel(BlockStore store, LeaderMode mode) {
            this.store = store;
            this.mode = mode;
        }

        @Override
        public String channelId() {
            return store.channelId();
        }

        @Override
        public LeaderMode mode() {
            return mode;
        }

        @Override
        public BlockStore store() {
            return store;
        }

        @Override
        public DeliverChain deliverChain() {
            return new DeliverChain() {
                @Override
                public BlockStore blocks() {
                    return store;
                }

                @Override
                public ErrorSignal errorSignal() {
                    return errors;
                }

                @Override
                public long configSequence() {
                    return 0;
                }

                @Override
                public void checkReaders(SignedData request) {
                }
            };
        }

        @Override
        public PeerStatus.ChannelStatus status() {
            var info = store.info();
            boolean leader = mode instanceof LeaderMode.Static;
            return new PeerStatus.ChannelStatus(channelId(), info.height(), info.currentBlockHashHex(), mode.jsonName(),
                    leader, leader ? "peer0" : null, leader, leader ? "127.0.0.1:7050" : null);
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
