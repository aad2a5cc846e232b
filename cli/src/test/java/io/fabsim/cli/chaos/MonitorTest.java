package io.fabsim.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabsim.cli.network.NetworkState;
import io.fabsim.cli.network.StatusTable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MonitorTest {

    private static NetworkState.Node peer(String name, String org, long pid) {
        return new NetworkState.Node(name, "peer", org, org + "MSP", "election", pid, "", "", "", name + ".conf",
                name + ".log", List.of("ch1"));
    }

    private static StatusTable.Row row(String node, String org, boolean up) {
        return new StatusTable.Row(node, org, "peer", up, up ? 5 : -1, "aa", "election", false, false, "", "");
    }

    @Test
    void anOrgWithAPeerThatRunsButDoesNotAnswerIsSilentOneThatIsKilledIsNot() {
        NetworkState state = new NetworkState("/d", List.of("ch1"), "", List.of(peer("p0.org1", "Org1", 10),
                peer("p1.org1", "Org1", 11), peer("p0.org2", "Org2", 0), peer("p1.org2", "Org2", 13)));
        StatusTable table = new StatusTable();
        table.channels().put("ch1", new ArrayList<>(List.of(row("p0.org1", "Org1", true), row("p1.org1", "Org1", false),
                row("p0.org2", "Org2", false), row("p1.org2", "Org2", true))));
        assertThat(Monitor.silentOrgs(state, table, n -> true)).containsExactly("Org1");
        assertThat(Monitor.silentOrgs(state, table, n -> !n.name().equals("p1.org1"))).isEmpty();
    }
}
