package io.fabsim.cli.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabsim.cli.network.StatusTable;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailoverTrackerTest {

    private final ActionLog log = new ActionLog();
    private final FailoverTracker tracker = new FailoverTracker();

    /** One sample of ch1: Org1's peers with the one that delivers, and Org2's static leader. */
    private static StatusTable sample(String org1Deliverer, String... down) {
        StatusTable table = new StatusTable();
        List<StatusTable.Row> rows = new ArrayList<>();
        for (String peer : List.of("peer0.org1", "peer1.org1", "peer2.org1")) {
            boolean up = !List.of(down).contains(peer);
            boolean delivering = up && peer.equals(org1Deliverer);
            rows.add(new StatusTable.Row(peer, "Org1", "peer", up, up ? 10 : -1, "", "election", delivering, delivering,
                    "", delivering ? "127.0.0.1:7050" : ""));
        }
        rows.add(new StatusTable.Row("peer0.org2", "Org2", "peer", true, 10, "", "static", true, true, "", "127.0.0.1:7050"));
        table.channels().put("ch1", rows);
        return table;
    }

    @Test
    void aKilledLeaderIsTimedFromTheKillToTheFirstSampleWithItsSuccessor() {
        tracker.observe(0, sample("peer0.org1"), log);
        tracker.observe(500, sample("peer0.org1"), log);
        log.add(new ActionLog.Entry(700, "1970-01-01T00:00:00Z", "kill", "peer0.org1", "", true, "killed peer0.org1"));
        tracker.observe(1000, sample("", "peer0.org1"), log);
        tracker.observe(1500, sample("peer2.org1", "peer0.org1"), log);
        tracker.observe(2000, sample("peer2.org1", "peer0.org1"), log);

        assertThat(tracker.recent()).containsExactly(
                new FailoverTracker.Failover(1500, "ch1", "Org1", "peer0.org1", "peer2.org1", "kill", 800));
    }

    @Test
    void withoutAnActionTheFailoverCountsFromTheOldLeadersLastSighting() {
        tracker.observe(0, sample("peer1.org1"), log);
        tracker.observe(500, sample("peer1.org1"), log);
        tracker.observe(1000, sample(""), log);
        tracker.observe(1500, sample("peer0.org1"), log);
        assertThat(tracker.recent()).containsExactly(
                new FailoverTracker.Failover(1500, "ch1", "Org1", "peer1.org1", "peer0.org1", "lost", 1000));
    }

    @Test
    void aLeaderThatComesBackOrAnOverlapIsNoFailover() {
        tracker.observe(0, sample("peer0.org1"), log);
        tracker.observe(500, sample(""), log);
        tracker.observe(1000, sample("peer0.org1"), log);
        assertThat(tracker.recent()).isEmpty();
    }

    @Test
    void anOldActionOnTheLeaderDoesNotCount() {
        log.add(new ActionLog.Entry(100, "1970-01-01T00:00:00Z", "pause", "peer0.org1", "", true, "paused"));
        log.add(new ActionLog.Entry(150, "1970-01-01T00:00:00Z", "resume", "peer0.org1", "", true, "resumed"));
        tracker.observe(5000, sample("peer0.org1"), log);
        tracker.observe(5500, sample("peer1.org1"), log);
        assertThat(tracker.recent()).extracting(FailoverTracker.Failover::cause, FailoverTracker.Failover::millis)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("lost", 500L));
    }

    @Test
    void aLeaderPausedAndResumedThatLaterLosesLeadershipIsNotCountedAsPaused() {
        tracker.observe(0, sample("peer0.org1"), log);
        log.add(new ActionLog.Entry(100, "1970-01-01T00:00:00Z", "pause", "peer0.org1", "", true, "paused"));
        log.add(new ActionLog.Entry(150, "1970-01-01T00:00:00Z", "resume", "peer0.org1", "", true, "resumed"));
        tracker.observe(500, sample("peer0.org1"), log);
        tracker.observe(1000, sample("peer1.org1"), log);
        assertThat(tracker.recent()).extracting(FailoverTracker.Failover::cause, FailoverTracker.Failover::millis)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("lost", 500L));
    }
}
