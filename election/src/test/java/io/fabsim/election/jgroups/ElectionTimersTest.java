package io.fabsim.election.jgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabsim.common.time.ManualClock;
import io.fabsim.election.LeadershipListener;
import io.fabsim.election.jgroups.ElectionCluster.Member;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The coordinator's timers on a member's manual clock (membershipSampleInterval 300 ms,
 * startupGracePeriod 3 s in the test config): the clock moves only when the test advances it, so
 * the first assignment happens at an exact time.
 */
class ElectionTimersTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    /** Notes the member's clock time of every leadership change, as {@code channel:true@millis}. */
    private record TimedListener(ManualClock clock, List<String> changes) implements LeadershipListener {

        TimedListener(ManualClock clock) {
            this(clock, new CopyOnWriteArrayList<>());
        }

        @Override
        public void onLeadershipChanged(String channel, boolean isLeader) {
            changes.add(channel + ":" + isLeader + "@" + clock.nanoTime() / 1_000_000);
        }
    }

    @Test
    void aFreshCoordinatorAssignsOnceItsChannelsWereQuietForTheSampleInterval() {
        // Scenario: one member (its own coordinator) joins channel a at 0 ms and channel b at 200 ms.
        // Expected: nothing is assigned while the channels change; it leads both from 500 ms, 300 ms after
        // the last change.
        try (ElectionCluster cluster = new ElectionCluster()) {
            Member p0 = cluster.start("p0");
            TimedListener listener = new TimedListener(p0.clock);
            p0.election.join("a", true, listener);
            p0.clock.advance(Duration.ofMillis(200));
            p0.election.join("b", true, listener);
            p0.clock.advance(Duration.ofMillis(299));
            p0.clock.advance(Duration.ofMillis(1));
            await().atMost(WAIT).until(() -> listener.changes().size() == 2);
            assertThat(listener.changes()).containsExactlyInAnyOrder("a:true@500", "b:true@500");
        }
    }

    @Test
    void channelsThatKeepChangingAreAssignedAtTheStartupGracePeriod() {
        // Scenario: one member joins a new channel every 250 ms from 0 to 2750 ms, so its channels are
        // never quiet for the 300 ms sample interval.
        // Expected: the startup grace period ends the wait: it leads all 12 channels from 3000 ms.
        try (ElectionCluster cluster = new ElectionCluster()) {
            Member p0 = cluster.start("p0");
            TimedListener listener = new TimedListener(p0.clock);
            for (int i = 0; i < 12; i++) {
                if (i > 0) {
                    p0.clock.advance(Duration.ofMillis(250));
                }
                p0.election.join("ch" + i, true, listener);
            }
            p0.clock.advance(Duration.ofMillis(249));
            p0.clock.advance(Duration.ofMillis(1));
            await().atMost(WAIT).until(() -> listener.changes().size() == 12);
            assertThat(listener.changes()).allMatch(change -> change.endsWith(":true@3000"));
        }
    }
}
