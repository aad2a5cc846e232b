package io.fabsim.cli.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabsim.cli.network.NetworkState;
import io.fabsim.cli.network.StatusTable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapshotsTest {

    @Test
    void aSampleBecomesThePagesDocumentWithLeadersLagsActionsAndTheLog() throws Exception {
        NetworkState.Node p0 = new NetworkState.Node("peer0.org1", "peer", "Org1", "Org1MSP", "election", 11, "", "", "",
                "/c/p0", "", List.of("ch1"));
        NetworkState.Node p1 = new NetworkState.Node("peer1.org1", "peer", "Org1", "Org1MSP", "election", 0, "", "", "",
                "/c/p1", "", List.of("ch1"));
        NetworkState.Node o0 = new NetworkState.Node("orderer0", "orderer", "", "OrdererMSP", "", 12, "127.0.0.1:7050", "", "", "/c/o0", "",
                List.of("ch1"));
        NetworkState state = new NetworkState("/net", List.of("ch1"), "", List.of(p0, p1, o0));
        StatusTable table = new StatusTable();
        table.channels().put("ch1", List.of(
                new StatusTable.Row("peer0.org1", "Org1", "peer", true, 40, "ab", "election", true, true, "", "127.0.0.1:7050"),
                new StatusTable.Row("peer1.org1", "Org1", "peer", false, -1, "", "election", false, false, "", ""),
                new StatusTable.Row("orderer0", "", "orderer", true, 42, "cd", "", false, false, "", "")));
        ActionLog.Entry kill = new ActionLog.Entry(900, "2026-12-03T17:00:00Z", "kill", "peer1.org1", "", true, "killed peer1.org1");
        Map<String, Snapshots.OrdererView> orderers = Map.of("orderer0",
                new Snapshots.OrdererView(true, true, 20, 500, Map.of("ch1", "paused")));

        JsonNode doc = new ObjectMapper().readTree(ConsoleSampler.frame("snapshot",
                Snapshots.build(1000, state, table, orderers, List.of(kill), List.of())).split("data: ")[1]);

        JsonNode org = doc.at("/channels/0/orgs/0");
        assertThat(org.get("leader").asText()).isEqualTo("peer0.org1");
        assertThat(org.at("/peers/0/behind").asLong()).isEqualTo(2);
        assertThat(org.at("/peers/0/streamingFrom").asText()).as("the orderer's name for its address").isEqualTo("orderer0");
        assertThat(org.at("/peers/1/up").asBoolean()).isFalse();
        assertThat(doc.at("/orderers/0/channels/0/cutting").asText()).isEqualTo("paused");
        assertThat(doc.at("/orderers/0/load/rate").asInt()).isEqualTo(20);
        assertThat(doc.at("/events/0/outcome").asText()).isEqualTo("killed peer1.org1");
        assertThat(doc.at("/point/leaders/ch1~1Org1").asText()).isEqualTo("peer0.org1");
        JsonNode stopped = doc.at("/nodes/1/actions");
        assertThat(stopped.findValuesAsText("action")).contains("kill", "restart", "partition");
        for (JsonNode a : stopped) {
            if (a.get("action").asText().equals("kill")) {
                assertThat(a.get("enabled").asBoolean()).isFalse();
                assertThat(a.get("reason").asText()).contains("not running");
            }
            if (a.get("action").asText().equals("restart")) {
                assertThat(a.get("enabled").asBoolean()).isTrue();
            }
        }
        assertThat(doc.at("/nodes/2/actions").findValuesAsText("action")).contains("pause-cutting", "load-rate")
                .doesNotContain("partition");
    }
}
