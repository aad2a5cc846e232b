package io.fabsim.deliver.testing;

import io.fabsim.deliver.LedgerInfo;
import io.fabsim.deliver.LedgerInfoException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** A ledger whose height and last hash the test sets; can fail. */
public final class FakeLedger implements LedgerInfo {

    private volatile long height;
    private volatile byte[] currentHash;
    private volatile boolean fail;
    private volatile long[] later;
    private volatile byte[] laterHash;
    public final AtomicInteger heightCalls = new AtomicInteger();

    public FakeLedger(long height, byte[] currentHash) {
        this.height = height;
        this.currentHash = currentHash;
    }

    public void set(long height, byte[] currentHash) {
        this.height = height;
        this.currentHash = currentHash;
    }

    /** From the second height query on, the ledger reports {@code height} and {@code currentHash}. */
    public void afterFirstQuery(long height, byte[] currentHash) {
        this.later = new long[] {height};
        this.laterHash = currentHash;
    }

    public void failWith(boolean fail) {
        this.fail = fail;
    }

    @Override
    public long ledgerHeight() throws LedgerInfoException {
        if (heightCalls.getAndIncrement() >= 1 && later != null) {
            height = later[0];
            currentHash = laterHash;
        }
        if (fail) {
            throw new LedgerInfoException("fake-ledger-error");
        }
        return height;
    }

    @Override
    public Optional<byte[]> currentBlockHash() {
        return Optional.ofNullable(currentHash);
    }
}
