package io.fabsim.election.jgroups;

import java.time.Duration;
import org.jgroups.protocols.FailureDetection;
import org.jgroups.protocols.MERGE3;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.stack.ProtocolStack;

/**
 * When a member that found it was frozen (SIGSTOP, long GC) may lead again. Pure decision logic,
 * owned by the election's event thread, which fences and unfences {@link LocalLeadership} by it.
 *
 * <p>A short pause (below what failure detection needs to exclude a member) changed nothing for
 * the others: the next table from the coordinator confirms or moves the member's leases. A longer
 * pause most likely got the member excluded: the others formed a view without it and elected new
 * leaders, while the member's own view is stale. Whatever tables it then sees come from that stale
 * view, or from a view of its own that its failure detection builds after the resume (it is then
 * the coordinator of a view that lost everyone), so they prove nothing. Such a member is not a
 * partition: it stays fenced until a merge view joins it with the others again (the merged
 * coordinator's table then decides), or until a merge has had its full chance and did not come
 * ({@link Timing#mergeWindow}); only then is it a real partition, and the next table confirms it
 * (each side of a partition has its leader). A pause long enough for exclusion does not always
 * lead to one (failure detection needs its full timeout after the last heartbeat): when a member of
 * its view answers, after the resume, that it still counts this member in the very same view, nothing
 * was decided without it and no merge will come; the fence is then lifted by the next table, as
 * after a short pause ({@link #confirmedInView}).
 */
final class PauseFence {

    /**
     * What the JGroups stack allows.
     *
     * @param exclusion a pause at least this long may have let the others exclude this member (the
     *     failure detection timeout less one heartbeat interval); {@code null} when the stack has no
     *     failure detection by heartbeats (a hung member is then never excluded)
     * @param mergeWindow how long a merge may take once connectivity is back: two MERGE3 discovery
     *     rounds ({@code max_interval + check_interval} each), GMS's {@code merge_timeout}, and the
     *     coordinator's wait for claims ({@code leaderElectionDuration}); zero without MERGE3
     */
    record Timing(Duration exclusion, Duration mergeWindow) {

        static Timing of(ProtocolStack stack, Duration leaderElectionDuration) {
            FailureDetection fd = stack.findProtocol(FailureDetection.class);
            Duration exclusion = fd == null ? null
                    : Duration.ofMillis(Math.max(0, fd.getTimeout() - fd.getInterval()));
            MERGE3 merge = stack.findProtocol(MERGE3.class);
            GMS gms = stack.findProtocol(GMS.class);
            Duration window = Duration.ZERO;
            if (merge != null) {
                long round = merge.getMaxInterval() + Math.max(merge.getCheckInterval(), merge.getMaxInterval());
                window = Duration.ofMillis(2 * round + (gms == null ? 0 : gms.getMergeTimeout()))
                        .plus(leaderElectionDuration);
            }
            return new Timing(exclusion, window);
        }
    }

    private final Timing timing;
    private long fencedAtVersion;
    private boolean awaitingMerge;
    private long fences;

    PauseFence(Timing timing) {
        this.timing = timing;
    }

    /**
     * This member found it was frozen for {@code pausedMillis}; {@code tableVersion} is the last table
     * it saw; {@code alone} whether its view has no other member (then nobody can have replaced it).
     * Returns whether it must wait for a merge (it was likely excluded meanwhile).
     */
    boolean fence(long pausedMillis, long tableVersion, boolean alone) {
        fences++;
        fencedAtVersion = tableVersion;
        awaitingMerge = !alone && timing.exclusion() != null && pausedMillis >= timing.exclusion().toMillis()
                && !timing.mergeWindow().isZero();
        return awaitingMerge;
    }

    /** Counts the fences, so that a merge window timer of an earlier one can be told apart. */
    long fences() {
        return fences;
    }

    boolean awaitingMerge() {
        return awaitingMerge;
    }

    Duration mergeWindow() {
        return timing.mergeWindow();
    }

    /** A view was installed; a merge view joins this member with the others again. */
    void viewInstalled(boolean merge) {
        if (merge) {
            awaitingMerge = false;
        }
    }

    /**
     * A member of this member's current view answered, after the resume, that it counts this member
     * in that same view: it was not excluded, so no merge is awaited any more.
     */
    void confirmedInView() {
        awaitingMerge = false;
    }

    /**
     * The merge window of fence number {@code fence} is over. Returns whether that fence still awaited
     * its merge (the member is then a partition, and the next table decides).
     */
    boolean mergeWindowOver(long fence) {
        if (fence != fences || !awaitingMerge) {
            return false;
        }
        awaitingMerge = false;
        return true;
    }

    /**
     * Whether a table of {@code tableVersion} from this member's coordinator lifts the fence: it must be
     * newer than the last table before the pause, and no merge may still be awaited.
     */
    boolean liftedBy(long tableVersion) {
        return !awaitingMerge && tableVersion > fencedAtVersion;
    }
}
