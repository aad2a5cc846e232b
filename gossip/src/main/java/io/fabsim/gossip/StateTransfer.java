package io.fabsim.gossip;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.fabsim.common.time.Clock;
import io.fabsim.common.verify.InvalidBlockException;
import io.fabsim.ledger.BlockStore;
import io.fabsim.ledger.LedgerException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.hyperledger.fabric.protos.gossip.Payload;
import org.hyperledger.fabric.protos.gossip.RemoteStateRequest;
import org.hyperledger.fabric.protos.gossip.RemoteStateResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Anti-entropy (Fabric's {@code antiEntropy} / {@code requestBlocksInRange} /
 * {@code handleStateRequest}): a peer behind the highest height its org peers announce asks one
 * of them, chosen at random among those that have the range, for the missing blocks in batches of
 * {@code batchSize}; an unanswered request is retried on another peer up to {@code maxRetries}
 * times. Every block received is verified and goes through the payload buffer. The serving side
 * answers from its ledger, never more than {@code batchSize} blocks per request.
 */
final class StateTransfer {

    private static final Logger log = LoggerFactory.getLogger(StateTransfer.class);

    private record Pending(ByteString peer, CompletableFuture<RemoteStateResponse> response) {
    }

    /** Room left in a response for the envelope, the GossipMessage around it and protobuf framing. */
    private static final int ENVELOPE_OVERHEAD = 64 * 1024;
    /** Protobuf framing of one Payload (tag, length, seq_num). */
    private static final int PAYLOAD_OVERHEAD = 32;

    private final GossipConfig.StateConfig config;
    private final PeerLinks links;
    private final Clock clock;
    private final Random random = new Random();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    /** Signalled when a response completes a pending request: its requester waits on the clock's time. */
    private final ReentrantLock responses = new ReentrantLock();
    private final Condition answered = responses.newCondition();

    StateTransfer(GossipConfig.StateConfig config, PeerLinks links, Clock clock) {
        this.config = config;
        this.links = links;
        this.clock = clock;
    }

    /** One anti-entropy round: fetches batches until caught up with the peers or no peer answers. */
    void catchUp(ChannelGossip channel) throws InterruptedException {
        PayloadBuffer buffer = channel.buffer();
        long started = clock.nanoTime();
        long next = buffer.height();
        long fetchedFrom = -1;
        long fetchedTo = -1;
        try {
            while (!Thread.currentThread().isInterrupted()) {
                long height = buffer.height();
                long max = channel.maxPeerHeight();
                next = Math.max(next, height);
                while (next < max && buffer.has(next)) {
                    next++; // received (pushed or fetched) and waiting for the committer: not asked again
                }
                if (next >= max) {
                    return;
                }
                if (next >= height + config.blockBufferSize()
                        && !buffer.awaitHeight(next - config.blockBufferSize() + 1, config.responseTimeout())) {
                    return; // the committer is not making room: try again next round
                }
                long end = Math.min(next + config.batchSize() - 1, max - 1);
                long held = requestBatch(channel, next, end);
                if (held < next) {
                    return;
                }
                fetchedFrom = fetchedFrom < 0 ? next : fetchedFrom;
                fetchedTo = held;
                next = held + 1;
            }
        } finally {
            if (fetchedTo >= 0) {
                logRound(channel, fetchedFrom, fetchedTo, (clock.nanoTime() - started) / 1_000_000);
            }
        }
    }

    /** A real catch-up (a batch or more) is worth an INFO line; the odd block a push missed is not. */
    private void logRound(ChannelGossip channel, long from, long to, long millis) {
        String line = "state transfer fetched blocks [{}, {}] from peers in {} ms (height now {})";
        if (to - from + 1 >= config.batchSize()) {
            log.info(line, from, to, millis, channel.buffer().height());
        } else {
            log.debug(line, from, to, millis, channel.buffer().height());
        }
    }

    /**
     * Asks for blocks [start, end] until a peer delivers at least block {@code start}; returns the
     * last block of the run from {@code start} now held (a response may stop short of {@code end}
     * to stay under the message size limit), or {@code start - 1} when no peer delivered.
     */
    private long requestBatch(ChannelGossip channel, long start, long end) throws InterruptedException {
        List<RemotePeer> candidates = holders(channel, end + 1);
        if (candidates.isEmpty()) {
            candidates = holders(channel, start + 1);
        }
        if (candidates.isEmpty()) {
            return start - 1;
        }
        Collections.shuffle(candidates, random);
        for (int attempt = 0; attempt < config.maxRetries(); attempt++) {
            RemotePeer peer = candidates.get(attempt % candidates.size());
            RemoteStateResponse response = ask(channel, peer, start, end);
            if (response != null) {
                accept(channel, peer, response, start, end);
                long held = start;
                while (held <= end && channel.buffer().has(held)) {
                    held++;
                }
                if (held > start) {
                    return held - 1;
                }
            }
        }
        log.warn("no peer delivered blocks [{}, {}] after {} attempts", start, end,
                config.maxRetries());
        return start - 1;
    }

    private List<RemotePeer> holders(ChannelGossip channel, long minHeight) {
        List<RemotePeer> holders = new ArrayList<>();
        for (RemotePeer peer : links.peers()) {
            if (channel.heightOf(peer.pkiId()) >= minHeight) {
                holders.add(peer);
            }
        }
        return holders;
    }

    private RemoteStateResponse ask(ChannelGossip channel, RemotePeer peer, long start, long end)
            throws InterruptedException {
        long nonce = random.nextLong();
        Pending request = new Pending(peer.pkiId(), new CompletableFuture<>());
        pending.put(nonce, request);
        try {
            log.debug("requesting blocks [{}, {}] from {}", start, end, peer.name());
            channel.metrics.counters().requestsSent().inc();
            if (!peer.send(GossipMessages.unsigned(GossipMessages.stateRequest(channel.id, nonce, start, end)))) {
                return null;
            }
            RemoteStateResponse response = awaitResponse(request);
            if (response == null) {
                log.info("{} did not answer the request for blocks [{}, {}] within {}",
                        peer.name(), start, end, config.responseTimeout());
            }
            return response;
        } finally {
            pending.remove(nonce);
        }
    }

    /** The response to {@code request}, or null when none came within {@code responseTimeout}. */
    private RemoteStateResponse awaitResponse(Pending request) throws InterruptedException {
        responses.lockInterruptibly();
        try {
            long remaining = config.responseTimeout().toNanos();
            while (!request.response().isDone() && remaining > 0) {
                remaining = clock.awaitNanos(answered, remaining);
            }
            return request.response().getNow(null);
        } finally {
            responses.unlock();
        }
    }

    /** Verifies the blocks of a response and buffers them. */
    private void accept(ChannelGossip channel, RemotePeer peer, RemoteStateResponse response, long start, long end)
            throws InterruptedException {
        for (Payload payload : response.getPayloadsList()) {
            long number = payload.getSeqNum();
            if (number < start || number > end) {
                log.warn("{} sent block {} outside the requested range [{}, {}]", peer.name(),
                        number, start, end);
                continue;
            }
            if (channel.buffer().has(number)) {
                continue;
            }
            if (!awaitRoom(channel, number)) {
                log.info("no room for block {} within {} (height {}): the rest of the batch is dropped", number, config.responseTimeout(), channel.buffer().height());
                break;
            }
            Block block = verified(channel, peer, payload);
            if (block != null) {
                channel.buffer().add(block, Source.STATE_TRANSFER);
            }
        }
    }

    /**
     * A batch may be larger than the payload buffer ({@code batchSize > blockBufferSize}): its later
     * blocks wait for the committer to make room, as Fabric's blocking {@code addPayload} does.
     */
    private boolean awaitRoom(ChannelGossip channel, long number) throws InterruptedException {
        long lowest = number - config.blockBufferSize() + 1;
        return channel.buffer().height() >= lowest || channel.buffer().awaitHeight(lowest, config.responseTimeout());
    }

    private Block verified(ChannelGossip channel, RemotePeer peer, Payload payload) {
        try {
            Block block = Block.parseFrom(payload.getData());
            if (block.getHeader().getNumber() != payload.getSeqNum()) {
                throw new InvalidBlockException(InvalidBlockException.Reason.WRONG_NUMBER, "channel " + channel.id + ": payload " + payload.getSeqNum()
                        + " holds block " + block.getHeader().getNumber());
            }
            channel.committer.verifyOnReceipt(block);
            return block;
        } catch (InvalidProtocolBufferException | InvalidBlockException e) {
            channel.metrics.counters().rejected().inc();
            log.warn("block {} from {} (state transfer) refused: {}", payload.getSeqNum(),
                    peer.name(), e.getMessage());
            return null;
        }
    }

    /** A RemoteStateResponse arrived: completes the request it answers, if it is from the peer asked. */
    void responded(RemotePeer from, GossipMessage message) {
        Pending request = pending.get(message.getNonce());
        if (request == null || !request.peer().equals(from.pkiId())) {
            log.debug("unexpected state response from {} (nonce {})", from.name(), message.getNonce());
            return;
        }
        request.response().complete(message.getStateResponse());
        responses.lock();
        try {
            answered.signalAll();
        } finally {
            responses.unlock();
        }
    }

    /** Answers a RemoteStateRequest from the ledger, at most {@code batchSize} blocks. */
    void serve(RemotePeer from, ChannelGossip channel, GossipMessage message) {
        RemoteStateRequest request = message.getStateRequest();
        long start = request.getStartSeqNum();
        long end = request.getEndSeqNum();
        if (end < start) {
            log.warn("{} requested blocks [{}, {}]: end before start, ignored", from.name(),
                    start, end);
            return;
        }
        BlockStore store = channel.committer.store();
        long last = Math.min(Math.min(end, start + config.batchSize() - 1), store.height() - 1);
        RemoteStateResponse.Builder response = RemoteStateResponse.newBuilder();
        long budget = links.maxMessageBytes() - ENVELOPE_OVERHEAD;
        long size = 0;
        try {
            for (long n = start; n <= last; n++) {
                // the stored bytes as they are: no parse and re-serialization per block served
                byte[] bytes = store.blockBytes(n);
                size += bytes.length + PAYLOAD_OVERHEAD;
                if (size > budget) {
                    // the requester asks again from the first block it did not get
                    log.debug("response to {} stops before block {}: {} bytes would exceed the {}-byte limit", from.name(), n, size, links.maxMessageBytes());
                    break;
                }
                response.addPayloads(Payload.newBuilder().setSeqNum(n).setData(ByteString.copyFrom(bytes)));
            }
        } catch (LedgerException e) {
            log.warn("cannot serve blocks [{}, {}] to {}: {}", start, last, from.name(),
                    e.getMessage());
            return;
        }
        if (response.getPayloadsCount() == 0 && start <= last) {
            log.warn("block {} is larger than the {}-byte gossip message limit: cannot serve it to {}", start, links.maxMessageBytes(), from.name());
            return;
        }
        channel.metrics.counters().requestsServed().inc();
        log.debug("serving {} blocks from {} to {}", response.getPayloadsCount(), start,
                from.name());
        from.send(GossipMessages.unsigned(GossipMessages.stateResponse(channel.id, message.getNonce(), response.build())));
    }
}
