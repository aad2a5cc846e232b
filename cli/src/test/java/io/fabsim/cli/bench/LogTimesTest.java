package io.fabsim.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogTimesTest {

    private static final List<String> LOG = List.of(
            "2026-11-21T11:40:00.100Z INFO  [peer1.org1 ch1] i.f.d.Deliverer - Connected to ordering service 127.0.0.1:1, requesting",
            "not a log line with Connected to ordering service",
            "2026-11-21T11:41:00.250Z INFO  [peer1.org1 ch1] i.f.p.LedgerChannel - Elected as a leader, starting delivery service for channel ch1",
            "2026-11-21T11:41:00.300Z INFO  [peer1.org1 ch1] i.f.d.Deliverer - Connected to ordering service 127.0.0.1:1, requesting");

    @Test
    void firstMatchingLineAtOrAfterTheKillMillisecond() {
        Instant kill = Instant.parse("2026-11-21T11:41:00.250700Z");
        assertThat(LogTimes.firstAfter(LOG, FailoverBenchmark.CONNECTED, kill)).contains(Instant.parse("2026-11-21T11:41:00.300Z"));
        assertThat(LogTimes.firstAfter(LOG, FailoverBenchmark.ELECTED, kill)).contains(Instant.parse("2026-11-21T11:41:00.250Z"));
        assertThat(LogTimes.firstAfter(LOG, FailoverBenchmark.CONNECTED, Instant.parse("2026-11-21T12:00:00Z"))).isEmpty();
    }

    @Test
    void countsMatchingLinesFromTheStartMillisecond() {
        assertThat(LogTimes.countAfter(LOG, FailoverBenchmark.CONNECTED, Instant.parse("2026-11-21T11:40:00.100900Z")))
                .isEqualTo(2);
        assertThat(LogTimes.countAfter(LOG, FailoverBenchmark.CONNECTED, Instant.parse("2026-11-21T11:40:00.101Z")))
                .isEqualTo(1);
        assertThat(LogTimes.countAfter(LOG, FailoverBenchmark.FENCED, Instant.EPOCH)).isZero();
    }

    @Test
    void linesWithoutATimestampHaveNone() {
        assertThat(LogTimes.timestamp("garbage line")).isEmpty();
        assertThat(LogTimes.timestamp("")).isEmpty();
        assertThat(LogTimes.timestamp("2026-11-21T11:40:00.100Z x")).contains(Instant.parse("2026-11-21T11:40:00.100Z"));
    }
}
