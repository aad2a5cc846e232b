package io.fabsim.election.jgroups;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabsim.election.jgroups.Wire.Announcement;
import io.fabsim.election.jgroups.Wire.Lease;
import io.fabsim.election.jgroups.Wire.Table;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jgroups.Address;
import org.jgroups.util.UUID;
import org.junit.jupiter.api.Test;

/** The coordinator's rules, without JGroups running. */
class PlannerTest {

    private static final long SEC = 1_000_000_000L;
    private final Address a = UUID.randomUUID();
    private final Address b = UUID.randomUUID();
    private final Address c = UUID.randomUUID();
    private final Map<Address, Announcement> ann = new HashMap<>();

    private void announce(Address who, String name, Map<String, Long> claims, String... eligible) {
        Map<String, Boolean> channels = new TreeMap<>();
        for (String ch : eligible) {
            channels.put(ch, true);
        }
        ann.put(who, new Announcement(name, Map.of(), channels, claims, 1));
    }

    private static Map<String, String> leaders(Planner p) {
        Map<String, String> result = new TreeMap<>();
        p.leases().forEach((ch, l) -> result.put(ch, l.leaderName()));
        return result;
    }

    @Test
    void spreadsChannelsOverTheLeastLoadedMembers() {
        Planner p = new Planner(Duration.ofSeconds(30));
        announce(a, "p0", Map.of(), "c1", "c2", "c3", "c4", "c5");
        announce(b, "p1", Map.of(), "c1", "c2", "c3", "c4", "c5");
        announce(c, "p2", Map.of(), "c1", "c2", "c3", "c4", "c5");
        assertThat(p.plan(List.of(a, b, c), ann, 0)).isTrue();
        assertThat(leaders(p)).containsExactlyInAnyOrderEntriesOf(
                Map.of("c1", "p0", "c2", "p1", "c3", "p2", "c4", "p0", "c5", "p1"));
        assertThat(p.leases().values()).extracting(Lease::epoch).containsOnly(1L);
    }

    @Test
    void keepsLeasesWhileLeadersStayAndReassignsOnlyOrphans() {
        Planner p = new Planner(Duration.ofSeconds(30));
        announce(a, "p0", Map.of(), "c1", "c2");
        announce(b, "p1", Map.of(), "c1", "c2");
        p.plan(List.of(a, b), ann, 0);
        Map<String, String> before = leaders(p);
        announce(c, "p2", Map.of(), "c1", "c2");
        assertThat(p.plan(List.of(a, b, c), ann, 0)).isFalse();
        assertThat(leaders(p)).isEqualTo(before);
        String c1Leader = before.get("c1");
        List<Address> survivors = c1Leader.equals("p0") ? List.of(b, c) : List.of(a, c);
        assertThat(p.plan(survivors, ann, 0)).isTrue();
        assertThat(leaders(p).get("c2")).isEqualTo(before.get("c2"));
        assertThat(leaders(p).get("c1")).isEqualTo("p2");
        assertThat(p.leases().get("c1").epoch()).isEqualTo(2);
    }

    @Test
    void nonEligibleMembersAreNeverChosen() {
        Planner p = new Planner(Duration.ofSeconds(30));
        ann.put(a, new Announcement("p0", Map.of(), Map.of("c1", false), Map.of(), 1));
        p.plan(List.of(a), ann, 0);
        assertThat(p.leases()).isEmpty();
        announce(b, "p1", Map.of(), "c1");
        p.plan(List.of(a, b), ann, 0);
        assertThat(leaders(p)).containsEntry("c1", "p1");
    }

    @Test
    void yielderWaitsOutItsCooldownUnlessItIsTheOnlyCandidate() {
        Planner p = new Planner(Duration.ofSeconds(30));
        announce(a, "p0", Map.of(), "c1");
        announce(b, "p1", Map.of(), "c1");
        p.plan(List.of(a, b), ann, 0);
        assertThat(leaders(p)).containsEntry("c1", "p0");
        p.yielded("c1", a, 0);
        p.plan(List.of(a, b), ann, SEC);
        assertThat(leaders(p)).containsEntry("c1", "p1");
        p.plan(List.of(a), ann, 2 * SEC);
        assertThat(leaders(p)).containsEntry("c1", "p0");
        assertThat(p.leases().get("c1").epoch()).isEqualTo(3);
    }

    @Test
    void whenAllYieldedTheEarliestYielderLeads() {
        Planner p = new Planner(Duration.ofSeconds(30));
        announce(a, "p0", Map.of(), "c1");
        announce(b, "p1", Map.of(), "c1");
        p.plan(List.of(a, b), ann, 0);
        p.yielded("c1", a, 0);
        p.plan(List.of(a, b), ann, 0);
        p.yielded("c1", b, 0);
        p.plan(List.of(a, b), ann, 0);
        assertThat(leaders(p)).containsEntry("c1", "p0");
    }

    @Test
    void cooldownSurvivesACoordinatorChange() {
        Planner old = new Planner(Duration.ofSeconds(30));
        announce(a, "p0", Map.of(), "c1");
        announce(b, "p1", Map.of(), "c1");
        announce(c, "p2", Map.of(), "c1");
        old.plan(List.of(a, b, c), ann, 0);
        old.yielded("c1", a, 0);
        old.plan(List.of(a, b, c), ann, 0);
        Table table = old.publish(0);
        Planner next = new Planner(Duration.ofSeconds(30));
        next.adopt(table, 100 * SEC);
        next.plan(List.of(a, c), ann, 100 * SEC);
        assertThat(leaders(next)).containsEntry("c1", "p2");
        assertThat(next.publish(100 * SEC).version()).isGreaterThan(table.version());
    }

    @Test
    void afterAMergeTheNewestClaimWinsAndEpochsStayMonotonic() {
        Planner p = new Planner(Duration.ofSeconds(30));
        announce(a, "p0", Map.of(), "c1");
        p.plan(List.of(a), ann, 0);
        assertThat(p.leases().get("c1").epoch()).isEqualTo(1);
        announce(a, "p0", Map.of("c1", 1L), "c1");
        announce(b, "p1", Map.of("c1", 2L), "c1");
        assertThat(p.plan(List.of(a, b), ann, 0)).isTrue();
        assertThat(leaders(p)).containsEntry("c1", "p1");
        announce(a, "p0", Map.of(), "c1");
        announce(b, "p1", Map.of("c1", 1L), "c1");
        announce(c, "p2", Map.of("c1", 3L), "c1");
        p.plan(List.of(a, c), ann, 0);
        assertThat(leaders(p)).containsEntry("c1", "p2");
        p.plan(List.of(a), ann, 0);
        assertThat(leaders(p)).containsEntry("c1", "p0");
        assertThat(p.leases().get("c1").epoch()).isEqualTo(4);
    }

    @Test
    void equalClaimsKeepTheCoordinatorsOwnLease() {
        Planner p = new Planner(Duration.ofSeconds(30));
        announce(a, "p0", Map.of(), "c1");
        p.plan(List.of(a), ann, 0);
        announce(a, "p0", Map.of("c1", 1L), "c1");
        announce(b, "p1", Map.of("c1", 1L), "c1");
        assertThat(p.plan(List.of(a, b), ann, 0)).isFalse();
        assertThat(leaders(p)).containsEntry("c1", "p0");
    }
}
