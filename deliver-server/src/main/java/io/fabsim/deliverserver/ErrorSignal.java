package io.fabsim.deliverserver;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether a chain is errored, with listeners woken when it becomes so: the Java form of Fabric's
 * {@code Errored()} channel. Unlike a Go channel it can be cleared again ({@link #clear()}), as an
 * orderer's consenter recovers; a request sees the state at its start and wakes if it turns errored.
 */
public final class ErrorSignal {

    private final Set<Runnable> listeners = ConcurrentHashMap.newKeySet();
    private volatile String reason;

    public boolean isErrored() {
        return reason != null;
    }

    /** Why the chain is errored, or null. */
    public String reason() {
        return reason;
    }

    /** Marks the chain errored and runs every registered listener. */
    public void raise(String why) {
        reason = why == null ? "errored" : why;
        for (Runnable listener : listeners) {
            listener.run();
        }
    }

    public void clear() {
        reason = null;
    }

    /**
     * Registers {@code listener} to run when the chain turns errored (at once if it already is).
     * Closing the returned handle unregisters it.
     */
    public Registration onError(Runnable listener) {
        listeners.add(listener);
        if (isErrored()) {
            listener.run();
        }
        return () -> listeners.remove(listener);
    }

    /** Unregisters a listener. */
    @FunctionalInterface
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}
