package io.fabsim.deliverserver;

import com.google.protobuf.InvalidProtocolBufferException;
import io.fabsim.common.protoutil.Blocks;
import io.fabsim.common.time.Clock;
import io.fabsim.ledger.BlockStore;
import io.fabsim.ledger.LedgerException;
import java.time.Duration;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.SeekPosition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Fabric's Deliver handler ({@code common/deliver/deliver.go}), transport-independent. For each
 * request envelope on a stream it validates the envelope, finds the chain, checks access, resolves
 * the seek range, sends the blocks and returns one status; the transport sends the status and keeps
 * the stream open for the next request only after {@code SUCCESS}.
 *
 * <p>Statuses, in the order Fabric checks: {@code BAD_REQUEST} for an unparseable payload or
 * header, a missing or out-of-window timestamp, a TLS binding mismatch under mutual TLS;
 * {@code NOT_FOUND} for an unknown channel; {@code BAD_REQUEST} for an unparseable SeekInfo;
 * {@code SERVICE_UNAVAILABLE} when the chain is errored (unless the request asks
 * {@code BEST_EFFORT}); {@code FORBIDDEN} for an expired certificate or a creator the reader policy
 * refuses; {@code BAD_REQUEST} for a missing start or stop, or a specified stop before the start;
 * {@code NOT_FOUND} for a start beyond the height, or a block not yet there with
 * {@code FAIL_IF_NOT_READY}. {@code HEADER_WITH_SIG} sends data blocks without their data and
 * config blocks in full (Fabric 3.x). Thread-safe: one instance serves every stream.
 */
public final class DeliverHandler {

    private static final Logger log = LoggerFactory.getLogger(DeliverHandler.class);

    /** The handler's settings: Fabric's {@code General.Authentication.TimeWindow} and whether the listener requires client certificates. */
    public record Settings(Duration timeWindow, boolean mutualTls) {
        public static final Duration DEFAULT_TIME_WINDOW = Duration.ofMinutes(15);
    }

    private final ChainRegistry chains;
    private final Settings settings;
    private final Clock clock;
    private final DeliverMetrics metrics;

    public DeliverHandler(ChainRegistry chains, Settings settings, Clock clock, DeliverMetrics metrics) {
        this.chains = chains;
        this.settings = settings;
        this.clock = clock;
        this.metrics = metrics;
    }

    public Settings settings() {
        return settings;
    }

    /** Counts a stream opened; the transport calls it once per stream, with {@link #streamClosed()} at its end. */
    public void streamOpened() {
        metrics.streamsOpened.inc();
    }

    public void streamClosed() {
        metrics.streamsClosed.inc();
    }

    /**
     * Handles one request and sends its status.
     *
     * @return true when the status was {@code SUCCESS} and the stream should wait for the next request
     * @throws DeliverAbortedException when the client cancelled or a response could not be sent
     */
    public boolean handle(Envelope envelope, DeliverResponder responder) throws DeliverAbortedException {
        Status status = deliverBlocks(envelope, responder);
        responder.sendStatus(status);
        return status == Status.SUCCESS;
    }

    /** Handles one request up to, not including, its status, which it returns. */
    public Status deliverBlocks(Envelope envelope, DeliverResponder responder) throws DeliverAbortedException {
        String addr = responder.remoteAddress();
        DeliverRequest request;
        try {
            request = DeliverRequest.parse(envelope, clock.now(), settings.timeWindow(), settings.mutualTls(),
                    responder.clientCertHash());
        } catch (DeliverRequest.MalformedRequestException e) {
            log.warn("Rejecting deliver request from {}: {}", addr, e.getMessage());
            return Status.BAD_REQUEST;
        }
        String channelId = request.channelId();
        Optional<DeliverChain> chain = chains.chain(channelId);
        if (chain.isEmpty()) {
            log.debug("Rejecting deliver request from {} because channel {} not found", addr, channelId);
            return Status.NOT_FOUND;
        }
        String filtered = Boolean.toString(responder.filtered());
        metrics.requestsReceived.labelValues(channelId, filtered, responder.dataType()).inc();
        Status status = Status.INTERNAL_SERVER_ERROR;
        MDC.put("channel", channelId);
        try {
            status = deliverFromChain(request, chain.get(), responder);
            return status;
        } finally {
            MDC.remove("channel");
            metrics.requestsCompleted.labelValues(channelId, filtered, responder.dataType(),
                    Boolean.toString(status == Status.SUCCESS)).inc();
        }
    }

    private Status deliverFromChain(DeliverRequest request, DeliverChain chain, DeliverResponder responder)
            throws DeliverAbortedException {
        String addr = responder.remoteAddress();
        SeekInfo seekInfo;
        try {
            seekInfo = SeekInfo.parseFrom(request.payload().getData());
        } catch (InvalidProtocolBufferException e) {
            log.warn("Received a signed deliver request from {} with malformed seekInfo payload: {}", addr, e.getMessage());
            return Status.BAD_REQUEST;
        }
        boolean watchErrors = seekInfo.getErrorResponse() != SeekInfo.SeekErrorResponse.BEST_EFFORT;
        if (watchErrors && chain.errorSignal().isErrored()) {
            log.warn("Rejecting deliver request from {} because the chain is errored: {}", addr, chain.errorSignal().reason());
            return Status.SERVICE_UNAVAILABLE;
        }
        SessionAccess access = new SessionAccess(chain, request.signedData(), clock);
        try {
            access.evaluate();
        } catch (AccessDeniedException e) {
            log.warn("Client {} is not authorized: {}", addr, e.getMessage());
            return Status.FORBIDDEN;
        }
        if (!seekInfo.hasStart() || !seekInfo.hasStop()) {
            log.warn("Received seekInfo message from {} with missing start or stop", addr);
            return Status.BAD_REQUEST;
        }
        try (SeekCursor cursor = SeekCursor.open(chain.blocks(), seekInfo.getStart())) {
            return sendRange(new Session(request, seekInfo, chain, access, watchErrors, responder), cursor);
        }
    }

    /** Everything one request's block loop needs. */
    private record Session(DeliverRequest request, SeekInfo seekInfo, DeliverChain chain, SessionAccess access,
            boolean watchErrors, DeliverResponder responder) {
    }

    private Status sendRange(Session s, SeekCursor cursor) throws DeliverAbortedException {
        BlockStore store = s.chain().blocks();
        long number = cursor.start();
        long stopNumber = stopNumber(s.seekInfo(), number, store);
        if (s.seekInfo().getStop().hasSpecified() && Long.compareUnsigned(stopNumber, number) < 0) {
            log.warn("Received invalid seekInfo message from {}: start number {} greater than stop number {}",
                    s.responder().remoteAddress(), number, stopNumber);
            return Status.BAD_REQUEST;
        }
        while (true) {
            if (s.seekInfo().getBehavior() == SeekInfo.SeekBehavior.FAIL_IF_NOT_READY
                    && Long.compareUnsigned(number, store.height() - 1) > 0) {
                log.warn("Block {} not found, block number greater than chain length bounds", number);
                return Status.NOT_FOUND;
            }
            NextBlock next = nextBlock(s, cursor);
            if (next.status() != Status.SUCCESS) {
                return next.status();
            }
            number++;
            try {
                s.access().evaluate();
            } catch (AccessDeniedException e) {
                log.warn("Client authorization revoked for deliver request from {}: {}", s.responder().remoteAddress(), e.getMessage());
                return Status.FORBIDDEN;
            }
            Block block = next.block();
            s.responder().sendBlock(contentOf(block, s.seekInfo().getContentType()));
            metrics.blocksSent.labelValues(s.request().channelId(), Boolean.toString(s.responder().filtered()),
                    s.responder().dataType()).inc();
            if (stopNumber == block.getHeader().getNumber()) {
                return Status.SUCCESS;
            }
        }
    }

    private static long stopNumber(SeekInfo seekInfo, long start, BlockStore store) {
        SeekPosition stop = seekInfo.getStop();
        return switch (stop.getTypeCase()) {
            case OLDEST -> start;
            // Newest..Newest stops at the start, so a block committed meanwhile is not sent too.
            case NEWEST -> seekInfo.getStart().equals(stop) ? start : store.height() - 1;
            case SPECIFIED -> stop.getSpecified().getNumber();
            default -> 0;
        };
    }

    private record NextBlock(Block block, Status status) {
    }

    /**
     * Waits for the cursor's next block. Cancellation by the client and the chain turning errored
     * both close the iterator, which ends the wait at once and frees it.
     */
    private NextBlock nextBlock(Session s, SeekCursor cursor) throws DeliverAbortedException {
        if (cursor.isNotFound()) {
            log.warn("Error reading from channel, cause was: NOT_FOUND");
            return new NextBlock(null, Status.NOT_FOUND);
        }
        DeliverResponder responder = s.responder();
        responder.onCancel(cursor::close);
        try (ErrorSignal.Registration ignored = s.watchErrors()
                ? s.chain().errorSignal().onError(cursor::close) : () -> { }) {
            Block block = cursor.iterator().next();
            return new NextBlock(block, Status.SUCCESS);
        } catch (LedgerException e) {
            if (responder.isCancelled()) {
                log.debug("Context canceled, aborting wait for next block");
                throw new DeliverAbortedException("client cancelled the stream while waiting for a block", e);
            }
            if (s.watchErrors() && s.chain().errorSignal().isErrored()) {
                log.warn("Aborting deliver for request because the chain is errored: {}", s.chain().errorSignal().reason());
                return new NextBlock(null, Status.SERVICE_UNAVAILABLE);
            }
            log.warn("Error reading from channel, cause was: {}", e.getMessage());
            return new NextBlock(null, Status.SERVICE_UNAVAILABLE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliverAbortedException("interrupted while waiting for a block", e);
        } finally {
            responder.onCancel(null);
        }
    }

    /** Fabric 3.x: with {@code HEADER_WITH_SIG}, data blocks go without data; config blocks in full. */
    static Block contentOf(Block block, SeekInfo.SeekContentType contentType) {
        if (contentType != SeekInfo.SeekContentType.HEADER_WITH_SIG || Blocks.isConfigBlock(block)) {
            return block;
        }
        return Block.newBuilder().setHeader(block.getHeader()).setMetadata(block.getMetadata()).build();
    }
}
