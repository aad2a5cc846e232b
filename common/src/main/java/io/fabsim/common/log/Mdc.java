package io.fabsim.common.log;

import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.MDC;

/**
 * The MDC keys of fabsim's log lines ({@code peer}, {@code channel}) and the means to carry them onto
 * the threads a component owns: a {@code Scheduler} copies the MDC of the thread that creates it, and
 * so do the thread factories made here.
 */
public final class Mdc {

    public static final String PEER = "peer";
    public static final String CHANNEL = "channel";

    private Mdc() {
    }

    /** Runs {@code body} with {@code key} set to {@code value} (when not null), then restores the MDC. */
    public static <T> T with(String key, String value, Supplier<T> body) {
        Map<String, String> saved = MDC.getCopyOfContextMap();
        if (value != null) {
            MDC.put(key, value);
        }
        try {
            return body.get();
        } finally {
            restore(saved);
        }
    }

    /** Runs {@code body} with {@code key} set to {@code value} (when not null), then restores the MDC. */
    public static void run(String key, String value, Runnable body) {
        with(key, value, () -> {
            body.run();
            return null;
        });
    }

    /** {@code task} made to run with {@code key} set to {@code value} on whichever thread runs it. */
    public static Runnable wrap(String key, String value, Runnable task) {
        return () -> run(key, value, task);
    }

    /** Daemon threads named {@code prefix-1}, {@code prefix-2}… that carry the MDC of the calling thread. */
    public static ThreadFactory daemonThreads(String prefix) {
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        AtomicInteger n = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(() -> {
                if (mdc != null) {
                    MDC.setContextMap(mdc);
                }
                runnable.run();
            }, prefix + "-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Puts {@code saved} (a copy of an earlier MDC, or null) back in place. */
    public static void restore(Map<String, String> saved) {
        if (saved != null) {
            MDC.setContextMap(saved);
        } else {
            MDC.clear();
        }
    }
}
