package io.fabsim.cli.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabsim.cli.network.NetworkBuilder;
import io.fabsim.cli.network.NetworkControl;
import io.fabsim.cli.network.NetworkSpec;
import io.fabsim.cli.network.NetworkState;
import io.fabsim.cli.network.StatusClient;
import io.fabsim.cli.network.StatusTable;
import io.fabsim.cli.scenario.Networks;
import io.fabsim.common.config.HostPort;
import io.fabsim.common.time.Clock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario: a real network (1 orderer, Org1 with 3 peers electing a leader, channel ch1) and the
 * console on it; a real headless Chromium loads the page, which must name the peer that leads Org1
 * on ch1 (as that peer's own /status says); the browser clicks kill on that peer's row and confirms.
 * Expected: the page names another peer as leader within a generous bound, the killed process is
 * gone, the failover is listed; bad requests to the same console are refused with a 4xx and leave
 * every process running. A screenshot of the page goes to target/console-failover.png.
 * Skipped, saying so, where Chromium is not installed (apt-get install chromium chromium-driver).
 */
class ConsoleBrowserTest {

    private static final String CHANNEL = "ch1";
    private static final String ORG = "Org1";
    private static final Duration BOUND = Duration.ofSeconds(120);
    private static final String LEADER_ON_PAGE = "document.querySelector('table[data-channel=\"ch1\"] tr[data-org=\"Org1\"]"
            + " .leader-name')?.textContent ?? ''";

    @TempDir
    Path dir;

    @Test
    void thePageShowsTheLeaderAndAfterAKillFromThePageAnotherOne() throws Exception {
        Optional<Path> chromium = HeadlessChromium.find();
        assumeTrue(chromium.isPresent(), "chromium not installed (apt-get install chromium chromium-driver): "
                + "the console's browser test is skipped");
        Clock clock = Clock.system();
        NetworkControl control = new NetworkControl(dir, clock);
        NetworkSpec small = Networks.oneOrg(3, NetworkSpec.Mode.ELECTION, false);
        // The launcher's INFO logging (logback.xml), not the tests' DEBUG logging.
        NetworkSpec spec = new NetworkSpec(small.host(), small.ordererOrg(), small.orderers(), small.orgs(), small.channels(),
                small.tls(), small.mutualTls(), small.batchTimeout(), small.maxMessageCount(), small.loadRate(),
                small.loadTxSize(), small.startTimeout(), small.javaOpts() + " -Dlogback.configurationFile=logback.xml");
        StringWriter upLog = new StringWriter();
        try {
            new NetworkBuilder(clock, new PrintWriter(upLog, true)).up(spec, dir, NetworkBuilder.Options.defaults());
            try (ConsoleServer console = ConsoleServer.start(dir, new HostPort("127.0.0.1", 0), false, clock);
                 HeadlessChromium browser = HeadlessChromium.start(chromium.get(), dir, 1440, 1000)) {
                browser.navigate(console.url());
                String leader = awaitAgreedLeader(browser, control, "");

                browser.click("tr[data-node-row=\"" + leader + "\"] button[data-action=\"kill\"]");
                await().atMost(Duration.ofSeconds(10)).until(() -> browser.eval("document.getElementById('confirm').open")
                        .asBoolean());
                assertThat(browser.eval("document.getElementById('confirm-text').textContent").asText()).contains(leader);
                browser.click("#confirm-ok");

                String next = awaitAgreedLeader(browser, control, leader);
                assertThat(next).isNotEqualTo(leader);
                assertThat(control.state().node(leader).orElseThrow().pid()).as("the killed leader's pid").isZero();
                await().atMost(BOUND).until(() -> browser.eval("document.getElementById('failover-rows').textContent")
                        .asText().contains(next));
                assertThat(browser.eval("document.getElementById('log-rows').textContent").asText())
                        .contains("killed " + leader);
                browser.screenshot(Path.of("target", "console-failover.png"));

                refusedRequestsChangeNothing(console, control);
                loadRateThroughTheConsole(console, control);
            }
        } finally {
            control.down();
        }
    }

    /** Waits until the page and the peers' own /status name the same leader of Org1 on ch1, other than {@code not}. */
    private static String awaitAgreedLeader(HeadlessChromium browser, NetworkControl control, String not) {
        StatusClient status = new StatusClient();
        String[] agreed = {""};
        try {
            await().atMost(BOUND).pollInterval(Duration.ofMillis(250)).until(() -> {
                String onPage = browser.eval(LEADER_ON_PAGE).asText();
                List<String> leaders = StatusTable.collect(control.state(), status).channels().get(CHANNEL).stream()
                        .filter(r -> ORG.equals(r.org()) && r.up() && r.leader()).map(StatusTable.Row::node).toList();
                agreed[0] = onPage;
                return !onPage.isEmpty() && !onPage.equals("none") && !onPage.equals(not) && leaders.equals(List.of(onPage));
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(diagnosis(browser, control, "no agreed leader of " + ORG + " other than \"" + not
                    + "\"; the page said \"" + agreed[0] + "\""), e);
        }
        return agreed[0];
    }

    /** What the page and the nodes show, for a failure message; a screenshot goes to target/console-failure.png. */
    private static String diagnosis(HeadlessChromium browser, NetworkControl control, String problem) {
        StringBuilder out = new StringBuilder(problem);
        try {
            out.append("\npage, last action result: ").append(browser.eval("document.getElementById('last-result').textContent"));
            out.append("\npage, action log: ").append(browser.eval("document.getElementById('log-rows').textContent"));
            out.append("\npage, connection: ").append(browser.eval("document.getElementById('connection').textContent"));
            browser.screenshot(Path.of("target", "console-failure.png"));
        } catch (Exception e) {
            out.append("\n(the page could not be read: ").append(e.getMessage()).append(')');
        }
        try {
            out.append("\nnodes:\n").append(StatusTable.collect(control.state(), new StatusClient()).render());
        } catch (Exception e) {
            out.append("\n(network.json unreadable: ").append(e.getMessage()).append(')');
        }
        return out.toString();
    }

    /** The console's load-rate action reaches the orderer's admin API: the orderer reports the new rate. */
    private static void loadRateThroughTheConsole(ConsoleServer console, NetworkControl control) throws Exception {
        String orderer = control.state().orderers().get(0).name();
        await().atMost(BOUND).until(() -> control.load(orderer).path("enabled").asBoolean());
        RawHttp.Response set = new RawHttp(console).post("{\"action\": \"load-rate\", \"node\": \"" + orderer
                + "\", \"rate\": 3}", new RawHttp(console).tokenHeaders());
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(control.load(orderer).path("rate").asInt()).isEqualTo(3);
    }

    private static void refusedRequestsChangeNothing(ConsoleServer console, NetworkControl control) throws Exception {
        NetworkState before = control.state();
        String json = Files.readString(NetworkState.file(Path.of(before.dir())));
        String victim = before.peers().stream().filter(p -> p.pid() > 0).findFirst().orElseThrow().name();
        RawHttp http = new RawHttp(console);
        String kill = "{\"action\": \"kill\", \"node\": \"" + victim + "\"}";

        assertThat(http.post(kill, Map.of()).status()).as("no token").isEqualTo(403);
        assertThat(http.post("{\"action\": \"kill\", \"node\": \"peer9.org1\"}", http.tokenHeaders()))
                .satisfies(r -> assertThat(r.status()).isEqualTo(404))
                .satisfies(r -> assertThat(r.body()).contains("no node named").contains("peer9.org1"));
        assertThat(http.post("{\"action\": \"kill\"", http.tokenHeaders()).status()).as("malformed").isEqualTo(400);
        assertThat(http.post("{\"action\": \"partition\", \"node\": \"" + victim + "\"}", http.tokenHeaders()))
                .satisfies(r -> assertThat(r.status()).isEqualTo(409))
                .satisfies(r -> assertThat(r.body()).contains("network.netns = true"));

        assertThat(Files.readString(NetworkState.file(Path.of(before.dir())))).as("network.json unchanged").isEqualTo(json);
        for (NetworkState.Node node : before.processes()) {
            if (node.pid() > 0) {
                assertThat(ProcessHandle.of(node.pid()).map(ProcessHandle::isAlive)).as(node.name() + " still runs")
                        .contains(true);
            }
        }
    }
}
