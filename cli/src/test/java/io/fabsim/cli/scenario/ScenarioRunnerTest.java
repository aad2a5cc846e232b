package io.fabsim.cli.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabsim.cli.network.NetworkControl;
import io.fabsim.common.time.Clock;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioRunnerTest {

    @TempDir
    Path reports;

    @Test
    void whatAnEarlierRunLeftInTheScenarioDirectoryIsRemovedAndNothingElse() throws Exception {
        // Scenario: scripts/test ran before: the scenario's directory holds crypto material and a ledger
        // (cryptogen refuses to write over them). Expected: the directory is emptied; its siblings stay.
        Path dir = reports.resolve("leader-kill");
        Files.createDirectories(dir.resolve("crypto/ordererOrganizations/example.com"));
        Files.createDirectories(dir.resolve("data/peer0.org1/chains/ch1"));
        Files.writeString(dir.resolve("data/peer0.org1/chains/ch1/blockfile_000000"), "block bytes");
        Files.writeString(reports.resolve("report.json"), "{}");
        ScenarioRunner.clearEarlierRun(dir, new NetworkControl(dir, Clock.system()));
        assertThat(dir).doesNotExist();
        assertThat(reports.resolve("report.json")).exists();
    }
}
