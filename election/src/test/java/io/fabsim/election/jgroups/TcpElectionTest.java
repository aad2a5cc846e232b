package io.fabsim.election.jgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabsim.common.time.Clock;
import io.fabsim.election.ElectionConfig;
import io.fabsim.election.ElectionIdentity;
import io.fabsim.election.jgroups.ElectionCluster.Recorder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jgroups.protocols.DISCARD;
import org.jgroups.protocols.TCP;
import org.jgroups.stack.ProtocolStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The real stack file {@code conf/jgroups-tcp.xml}, over TCP on 127.0.0.1 with free ports. */
class TcpElectionTest {

    static final Path STACK = Path.of("../conf/jgroups-tcp.xml");
    private static final String CH = "mychannel";
    private final List<JGroupsLeaderElection> started = new ArrayList<>();

    @AfterEach
    void closeAll() {
        started.forEach(JGroupsLeaderElection::close);
    }

    @Test
    void crashedLeaderIsReplacedOverTcp() throws Exception {
        // Scenario: three peers on the real TCP stack; the leader crashes (its traffic is dropped, so
        // no LEAVE goes out, and its stack stops: its sockets close, as with kill -9).
        // Expected: one of the two others leads, found through TCP/FD_SOCK2 suspicion + VERIFY_SUSPECT2.
        assertThat(STACK).exists();
        List<Integer> ports = freePorts(3);
        List<String> hosts = ports.stream().map(p -> "127.0.0.1[" + p + "]").toList();
        List<Recorder> recorders = new ArrayList<>();
        List<DISCARD> discards = new ArrayList<>();
        String org = "TcpOrg" + ProcessHandle.current().pid() + "MSP";
        for (int i = 0; i < 3; i++) {
            ElectionConfig config = config(ports.get(i), hosts);
            ElectionIdentity id = new ElectionIdentity(org, "peer" + i, Map.of());
            DISCARD discard = new DISCARD();
            var channel = JGroupsStack.channel(config.jgroups(), id);
            channel.getProtocolStack().insertProtocol(discard, ProtocolStack.Position.ABOVE, TCP.class);
            JGroupsLeaderElection e = JGroupsLeaderElection.over(channel, config, id, Clock.system());
            started.add(e);
            discards.add(discard);
            e.start();
            Recorder r = new Recorder();
            recorders.add(r);
            e.join(CH, true, r);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> leaders().size() == 1
                && started.stream().allMatch(e -> e.jgroupsChannel().view().size() == 3));
        int old = started.indexOf(leaders().get(0));
        long crashedAt = System.nanoTime();
        discards.get(old).discardAll(true);
        started.get(old).jgroupsChannel().getProtocolStack().stopStack(started.get(old).jgroupsChannel().getClusterName());
        started.get(old).close();
        await().atMost(Duration.ofSeconds(20)).until(() -> leaders().size() == 1);
        long tookMillis = (System.nanoTime() - crashedAt) / 1_000_000;
        JGroupsLeaderElection next = leaders().get(0);
        assertThat(started.indexOf(next)).isNotEqualTo(old);
        assertThat(recorders.get(started.indexOf(next)).changes).containsExactly(true);
        System.out.println("TCP failover after a crash took " + tookMillis + " ms");
    }

    private List<JGroupsLeaderElection> leaders() {
        return started.stream().filter(e -> e.isLeader(CH)).toList();
    }

    static ElectionConfig config(int port, List<String> hosts) {
        return new ElectionConfig(Duration.ofSeconds(1), Duration.ofMillis(300), Duration.ofSeconds(2),
                Duration.ofMillis(300), Duration.ofSeconds(30), "fabsim-tcp-test-",
                new ElectionConfig.JGroups(Optional.of(STACK), "127.0.0.1", port, hosts));
    }

    /** Ports p free on 127.0.0.1 with p + 100 (FD_SOCK2) free as well; bounded attempts. */
    static List<Integer> freePorts(int n) throws IOException {
        List<Integer> ports = new ArrayList<>();
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        for (int attempt = 0; attempt < 200 && ports.size() < n; attempt++) {
            try (ServerSocket s = new ServerSocket(0, 1, lo)) {
                int p = s.getLocalPort();
                if (p + 105 > 65535 || ports.contains(p)) {
                    continue;
                }
                try (ServerSocket fd = new ServerSocket(p + 100, 1, lo)) {
                    ports.add(p);
                } catch (IOException busy) {
                    // try another
                }
            }
        }
        if (ports.size() < n) {
            throw new IOException("found only " + ports.size() + " free port pairs on 127.0.0.1");
        }
        return ports;
    }
}
