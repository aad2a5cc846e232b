package io.fabsim.orderer.chain;

import io.fabsim.common.configtx.BatchSize;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.protos.common.Envelope;

/**
 * Fabric's block cutter ({@code orderer/common/blockcutter}): batches messages by the channel's
 * {@code BatchSize}. A message larger than PreferredMaxBytes cuts the pending batch (if any) and goes
 * alone in a batch of its own; a message that would push the pending batch past PreferredMaxBytes
 * cuts the pending batch first; a batch is cut when it reaches MaxMessageCount. A message's size is
 * its payload plus its signature. Not thread-safe: one chain thread owns it.
 */
final class BlockCutter {

    /** What {@link #ordered} produced: batches to write now, and whether messages remain pending. */
    record Ordered(List<List<Envelope>> batches, boolean pending) {
    }

    private List<Envelope> pending = new ArrayList<>();
    private long pendingBytes;

    static long messageSize(Envelope envelope) {
        return (long) envelope.getPayload().size() + envelope.getSignature().size();
    }

    Ordered ordered(Envelope message, BatchSize batchSize) {
        List<List<Envelope>> batches = new ArrayList<>(2);
        long size = messageSize(message);
        if (size > Integer.toUnsignedLong(batchSize.preferredMaxBytes())) {
            if (!pending.isEmpty()) {
                batches.add(cut());
            }
            batches.add(List.of(message));
            return new Ordered(batches, false);
        }
        if (pendingBytes + size > Integer.toUnsignedLong(batchSize.preferredMaxBytes())) {
            batches.add(cut());
        }
        pending.add(message);
        pendingBytes += size;
        boolean stillPending = true;
        if (pending.size() >= Integer.toUnsignedLong(batchSize.maxMessageCount())) {
            batches.add(cut());
            stillPending = false;
        }
        return new Ordered(batches, stillPending);
    }

    /** Returns the pending batch (possibly empty) and starts a new one. */
    List<Envelope> cut() {
        List<Envelope> batch = pending;
        pending = new ArrayList<>();
        pendingBytes = 0;
        return batch;
    }

    int pendingCount() {
        return pending.size();
    }
}
