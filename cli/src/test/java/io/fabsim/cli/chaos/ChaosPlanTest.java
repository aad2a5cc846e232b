package io.fabsim.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabsim.common.config.ConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChaosPlanTest {

    private static final Topology TWO_ORGS = new Topology(
            Map.of("Org1", List.of("peer0.org1", "peer1.org1", "peer2.org1"),
                    "Org2", List.of("peer0.org2", "peer1.org2", "peer2.org2")),
            List.of("orderer0", "orderer1"), Map.of("ch1", List.of("Org1", "Org2"), "ch2", List.of("Org1", "Org2")));

    private static ChaosPlan.Settings settings(long seed, Duration duration, FaultKind... kinds) {
        return new ChaosPlan.Settings(seed, duration, Duration.ofMinutes(5), List.of(kinds), Duration.ofSeconds(3));
    }

    @Test
    void theSameSeedGivesTheSameScheduleAndAnotherSeedAnotherOne() {
        ChaosPlan.Settings s = settings(42, Duration.ofMinutes(12), FaultKind.values());
        List<Fault> a = ChaosPlan.generate(s, TWO_ORGS);
        assertThat(ChaosPlan.generate(s, TWO_ORGS)).isEqualTo(a);
        assertThat(ChaosPlan.generate(settings(43, Duration.ofMinutes(12), FaultKind.values()), TWO_ORGS)).isNotEqualTo(a);
        assertThat(a).extracting(Fault::kind).containsAll(Arrays.asList(FaultKind.values()));
    }

    @Test
    void everyEpochIsAFreshNetworkWhoseFirstFaultPausesALeaderAroundFailureDetectionWithinTwoSeconds() {
        ChaosPlan.Settings s = settings(5, Duration.ofMinutes(12), FaultKind.KILL, FaultKind.PAUSE);
        List<Fault> plan = ChaosPlan.generate(s, TWO_ORGS);
        assertThat(s.epochs()).isEqualTo(3);
        assertThat(s.epochMillis(2)).isEqualTo(Duration.ofMinutes(2).toMillis());
        for (int e = 0; e < 3; e++) {
            int epoch = e;
            Fault first = plan.stream().filter(f -> f.epoch() == epoch).findFirst().orElseThrow();
            assertThat(first.kind()).isEqualTo(FaultKind.PAUSE);
            assertThat(first.target().isLeader()).isTrue();
            assertThat(first.atMillis()).isLessThan(ChaosPlan.FIRST_FAULT_WITHIN);
            assertThat(first.holdMillis()).isBetween(2_000L, 4_000L);
            assertThat(plan.stream().filter(f -> f.epoch() == epoch)).allSatisfy(f -> assertThat(f.endMillis())
                    .isLessThanOrEqualTo(s.epochMillis(epoch)));
        }
        long aroundDetection = plan.stream().filter(f -> f.kind() == FaultKind.PAUSE)
                .filter(f -> f.holdMillis() >= 2_000 && f.holdMillis() <= 4_000).count();
        assertThat(aroundDetection).as("about half the pauses last 3 s ± 1 s").isGreaterThan(
                plan.stream().filter(f -> f.kind() == FaultKind.PAUSE).count() / 3);
    }

    @Test
    void faultsOverlapButNeverHitEveryPeerOfAnOrgNorBothOrderers() {
        List<Fault> plan = ChaosPlan.generate(settings(9, Duration.ofMinutes(30), FaultKind.values()), TWO_ORGS);
        boolean overlapped = false;
        for (Fault f : plan) {
            List<Fault> active = new ArrayList<>(plan.stream().filter(o -> o != f && o.epoch() == f.epoch()
                    && o.atMillis() <= f.atMillis() && ChaosPlan.busyUntil(o) > f.atMillis()).toList());
            overlapped |= !active.isEmpty();
            if (f.kind() == FaultKind.ORDERER_KILL) {
                assertThat(active).noneMatch(o -> o.kind() == FaultKind.ORDERER_KILL);
            } else {
                assertThat(active.stream().filter(o -> f.target().org().equals(o.target().org())).count())
                        .as("faults in %s when %s starts", f.target().org(), f.describe()).isLessThan(2);
            }
        }
        assertThat(overlapped).isTrue();
        assertThat(plan.size()).as("a fault every few seconds over 30 minutes").isGreaterThan(400);
    }

    @Test
    void unknownFaultKindsAndBadSettingsAreRefusedNamingTheValue() {
        assertThatThrownBy(() -> FaultKind.parseList("--faults", List.of("kill", "nuke")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--faults").hasMessageContaining("\"nuke\"")
                .hasMessageContaining("orderer-kill");
        assertThat(FaultKind.parseList("--faults", List.of("Pause", "kill", "pause")))
                .containsExactly(FaultKind.PAUSE, FaultKind.KILL);
        assertThatThrownBy(() -> settings(1, Duration.ZERO, FaultKind.KILL)).hasMessageContaining("duration");
    }

    @Test
    void kindsThatNeedNamespacesAreSkippedWithANoteOnANetworkWithout() {
        List<String> notes = new ArrayList<>();
        assertThat(ChaosRun.usable(List.of(FaultKind.KILL, FaultKind.PARTITION, FaultKind.DELAY), false, notes))
                .containsExactly(FaultKind.KILL);
        assertThat(notes).hasSize(2).allMatch(n -> n.contains("skipped") && n.contains("netns"));
        assertThat(ChaosRun.usable(List.of(FaultKind.PARTITION), true, new ArrayList<>())).containsExactly(FaultKind.PARTITION);
    }
}
