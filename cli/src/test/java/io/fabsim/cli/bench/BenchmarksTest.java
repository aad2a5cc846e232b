package io.fabsim.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabsim.cli.network.NetworkSpec;
import io.fabsim.election.ElectionAlgorithm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class BenchmarksTest {

    private static final Path DIR = Path.of("/tmp/x");

    @Test
    void failoverArgumentsAreValidated() {
        assertThat(Benchmarks.failoverOptions(3, "HANG", 3, DIR, "").fault()).isEqualTo(FailoverBenchmark.Fault.HANG);
        assertThatThrownBy(() -> Benchmarks.failoverOptions(3, "freeze", 3, DIR, ""))
                .hasMessage("--mode: expected crash or hang, got \"freeze\"");
        assertThatThrownBy(() -> Benchmarks.failoverOptions(0, "crash", 3, DIR, "")).hasMessageStartingWith("--kills");
        assertThatThrownBy(() -> Benchmarks.failoverOptions(3, "crash", 1, DIR, "")).hasMessageStartingWith("--peers");
        assertThat(Benchmarks.failoverOptions(3, "crash", 12, DIR, "", ElectionAlgorithm.JGROUPS, Duration.ofMinutes(10))
                .soak()).isEqualTo(Duration.ofMinutes(10));
        assertThatThrownBy(() -> Benchmarks.failoverOptions(3, "crash", 3, DIR, "", ElectionAlgorithm.JGROUPS,
                Duration.ofDays(2))).hasMessageStartingWith("--soak");
    }

    @Test
    void algorithmArgumentChoosesOneOrBothInOrder() {
        assertThat(Benchmarks.algorithms("fabric")).containsExactly(ElectionAlgorithm.FABRIC);
        assertThat(Benchmarks.algorithms("JGroups")).containsExactly(ElectionAlgorithm.JGROUPS);
        assertThat(Benchmarks.algorithms("both")).containsExactly(ElectionAlgorithm.JGROUPS, ElectionAlgorithm.FABRIC);
        assertThatThrownBy(() -> Benchmarks.algorithms("raft"))
                .hasMessage("--algorithm: expected jgroups, fabric or both, got \"raft\"");
        assertThat(Benchmarks.settings(ElectionAlgorithm.FABRIC)).contains("leaderAliveThreshold=PT10S")
                .contains("leaderElectionDuration=PT5S").contains("startupGracePeriod=PT15S");
    }

    @Test
    void comparisonShowsEachAlgorithmsMediansMaximaAndTheirRatio() {
        Map<ElectionAlgorithm, List<FailoverBenchmark.Round>> runs = new java.util.LinkedHashMap<>();
        runs.put(ElectionAlgorithm.JGROUPS, List.of(round(400), round(500), round(600)));
        runs.put(ElectionAlgorithm.FABRIC, List.of(round(10_000), round(20_000), round(24_000)));
        List<String> lines = FailoverBenchmark.comparison(FailoverBenchmark.Fault.CRASH, runs);
        assertThat(lines).hasSize(4);
        assertThat(lines.get(2)).startsWith("| jgroups | 3 | 500 ms | 600 ms |").endsWith("| 1.0x, 1.0x |");
        assertThat(lines.get(3)).startsWith("| fabric | 3 | 20.00 s | 24.00 s |").endsWith("| 40.0x, 40.0x |");
    }

    private static FailoverBenchmark.Round round(long ms) {
        long nanos = ms * 1_000_000;
        java.util.Optional<Long> t = java.util.Optional.of(nanos);
        return new FailoverBenchmark.Round("peer0", "peer1", t, t, nanos, t, t, t, t, t, ms < 1000);
    }

    @Test
    void failoverSummaryHasTheBreakdownAndCountsRoundsOnTheStandbyConnection() {
        List<String> lines = FailoverBenchmark.summary(FailoverBenchmark.Fault.CRASH,
                List.of(round(100), round(200), round(3000)));
        assertThat(lines).anyMatch(l -> l.startsWith("| crash | kill -> election view without it (new leader's log) | 3 |"));
        assertThat(lines).anyMatch(l -> l.startsWith("| crash | kill -> first block on the new stream (log) | 3 |"));
        assertThat(lines).anyMatch(l -> l.startsWith("| crash | kill -> that first block on every survivor | 3 | 200 ms |"));
        assertThat(lines).contains("warm standby connection used by the new leader in 2 of 3 rounds");
        assertThat(FailoverBenchmark.blockNumber("2026-12-03T19:46:02.231Z INFO [p ch] i.f.d.Deliverer - Received block "
                + "[17] of channel ch from ordering service o:7050, the first on this stream")).contains(17L);
        assertThat(FailoverBenchmark.blockNumber("no number here")).isEmpty();
    }

    @Test
    void theSettingsLineShowsWhatTheEnvironmentOverrides() {
        assertThat(Benchmarks.settings(ElectionAlgorithm.JGROUPS, Map.of())).contains("warmStandby=true");
        assertThat(Benchmarks.settings(ElectionAlgorithm.JGROUPS,
                Map.of("FABSIM_PEER_DELIVERYCLIENT_FABSIM_WARMSTANDBY", "false"))).contains("warmStandby=false");
    }

    @Test
    void gossipArgumentsAreValidated() {
        GossipBenchmark.Options o = Benchmarks.gossipOptions(args(10, List.of(2.0, 5.0), "1500ms", List.of("election", "static", "raw")), DIR, "");
        assertThat(o.window()).isEqualTo(Duration.ofMillis(1500));
        assertThat(o.modes()).containsExactly(NetworkSpec.Mode.ELECTION, NetworkSpec.Mode.STATIC, NetworkSpec.Mode.RAW);
        assertThat(o.txRate(2.5)).isEqualTo(25);
        assertThat(o.txRate(0.01)).isEqualTo(1);
        assertThatThrownBy(() -> Benchmarks.gossipOptions(args(10, List.of(2.0), "10s", List.of("mesh")), DIR, ""))
                .hasMessage("--modes: expected election, static and/or raw, got \"mesh\"");
        assertThatThrownBy(() -> Benchmarks.gossipOptions(args(10, List.of(2.0), "soon", List.of("static")), DIR, ""))
                .hasMessageStartingWith("--window: expected a duration");
        assertThatThrownBy(() -> Benchmarks.gossipOptions(args(10, List.of(-1.0), "10s", List.of("static")), DIR, ""))
                .hasMessageStartingWith("--block-rates");
        assertThatThrownBy(() -> Benchmarks.gossipOptions(args(0, List.of(1.0), "10s", List.of("static")), DIR, ""))
                .hasMessageStartingWith("--max-message-count");
        assertThat(Benchmarks.duration("--window", "2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Benchmarks.duration("--window", "PT3S")).isEqualTo(Duration.ofSeconds(3));
    }

    private static Benchmarks.GossipArgs args(int count, List<Double> rates, String window, List<String> modes) {
        return new Benchmarks.GossipArgs(4, count, 1024, rates, window, modes);
    }

    @Test
    void loadRateOfTheOrdererConfigIsReplaced() {
        String conf = "orderer {\n  nodeName = \"o\"\n  load { enabled = true, rate = 20, txSize = 1024 }\n}\n";
        assertThat(GossipBenchmark.withLoadRate(conf, 150)).contains("load { enabled = true, rate = 150, txSize = 1024 }");
        assertThat(GossipBenchmark.withLoadRate(conf, 20)).isEqualTo(conf);
        assertThatThrownBy(() -> GossipBenchmark.withLoadRate("orderer {}", 5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aWindowIsSustainedWhenEveryPeerHasEveryBlockAndLatencyDoesNotGrow() {
        Map<String, Map<Long, Long>> peers = Map.of("a", new TreeMap<>(), "b", new TreeMap<>());
        TreeMap<Long, Long> cut = new TreeMap<>();
        for (long b = 0; b < 30; b++) {
            cut.put(b, b * 100_000_000L);
            peers.get("a").put(b, b * 100_000_000L + 5_000_000L);
            peers.get("b").put(b, b * 100_000_000L + 9_000_000L);
        }
        GossipBenchmark.Step ok = GossipBenchmark.step(NetworkSpec.Mode.ELECTION, 10, cut, peers, List.of("a", "b"), 3.0);
        assertThat(ok.sustained()).isTrue();
        assertThat(ok.cutBlockRate()).isEqualTo(10.0);
        assertThat(ok.latency().p50Ms()).isCloseTo(9.0, org.assertj.core.data.Offset.offset(0.01));

        peers.get("b").remove(29L);
        GossipBenchmark.Step behind = GossipBenchmark.step(NetworkSpec.Mode.ELECTION, 10, cut, peers, List.of("a", "b"), 3.0);
        assertThat(behind.missing()).isEqualTo(1);
        assertThat(behind.sustained()).isFalse();
    }

    @Test
    void latencyGrowingWithoutBoundIsDetected() {
        List<Long> flat = new ArrayList<>();
        List<Long> rising = new ArrayList<>();
        for (long i = 0; i < 30; i++) {
            flat.add(20_000_000L + (i % 3) * 1_000_000L);
            rising.add(20_000_000L + i * 50_000_000L);
        }
        assertThat(GossipBenchmark.growing(flat)).isFalse();
        assertThat(GossipBenchmark.growing(rising)).isTrue();
        assertThat(GossipBenchmark.growing(List.of(1L, 2L))).isFalse();
    }
}
