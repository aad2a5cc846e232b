package io.fabsim.benchmarks.election;

import io.fabsim.common.time.Clock;
import io.fabsim.election.ElectionConfig;
import io.fabsim.election.ElectionIdentity;
import io.fabsim.election.LeadershipListener;
import io.fabsim.election.jgroups.JGroupsLeaderElection;
import io.fabsim.election.jgroups.JGroupsStack;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.jgroups.JChannel;
import org.jgroups.protocols.DISCARD;
import org.jgroups.protocols.TCP;
import org.jgroups.stack.ProtocolStack;

/**
 * In-JVM failover time of the election over TCP on 127.0.0.1 with the real stack file: three
 * members; each round crashes the leader (no LEAVE goes out and its protocol stack stops, so its
 * peers see its sockets close as after kill -9) and measures the time until
 * another member's listener hears {@code isLeader = true}; a fresh member then joins to keep three.
 * With {@code hang}, the leader's traffic is only dropped (as SIGSTOP: sockets stay open), so
 * FD_ALL3 must find it.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar
 * io.fabsim.benchmarks.election.ElectionFailoverBenchmark [rounds] [crash|hang] [stack.xml]}
 */
public final class ElectionFailoverBenchmark {

    private static final String CH = "benchchannel";

    private record Node(JGroupsLeaderElection election, DISCARD discard, int port) {
    }

    private final Path stack;
    private final String org = "BenchOrg" + ProcessHandle.current().pid() + "MSP";
    private final List<Node> nodes = new ArrayList<>();
    private volatile CountDownLatch elected = new CountDownLatch(1);
    private volatile long electedAt;
    private int started;

    private final boolean hang;

    private ElectionFailoverBenchmark(Path stack, boolean hang) {
        this.stack = stack;
        this.hang = hang;
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        boolean hang = args.length > 1 && args[1].equals("hang");
        Path stack = Path.of(args.length > 2 ? args[2] : "conf/jgroups-tcp.xml");
        ElectionFailoverBenchmark bench = new ElectionFailoverBenchmark(stack, hang);
        try {
            bench.run(rounds);
        } finally {
            bench.nodes.forEach(n -> n.election().close());
        }
    }

    private void run(int rounds) throws Exception {
        for (int i = 0; i < 3; i++) {
            startNode();
        }
        if (!elected.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("no leader after 30 s");
        }
        Histogram histogram = new Histogram(60_000_000L, 3);
        Clock clock = Clock.system();
        for (int round = 0; round < rounds; round++) {
            Node leader = nodes.stream().filter(n -> n.election().isLeader(CH)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no leader before a round"));
            boolean coordinator = leader.election().jgroupsChannel().view().getCoord()
                    .equals(leader.election().jgroupsChannel().address());
            elected = new CountDownLatch(1);
            long crashedAt = clock.nanoTime();
            if (hang) {
                leader.discard().discardAll(true);
            } else {
                crash(leader.election().jgroupsChannel(), leader.discard());
            }
            nodes.remove(leader);
            if (!elected.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("round " + round + ": no new leader after 30 s");
            }
            leader.election().close();
            long micros = (electedAt - crashedAt) / 1000;
            histogram.recordValue(micros);
            System.out.printf("round %d: %.1f ms (crashed leader was %s)%n", round, micros / 1000.0,
                    coordinator ? "the coordinator" : "not the coordinator");
            startNode();
        }
        System.out.printf("failover after %s, %d rounds, 3 members, TCP on loopback: p50 %.1f ms, p99 %.1f ms,"
                        + " max %.1f ms%n", hang ? "hang" : "crash", rounds, histogram.getValueAtPercentile(50) / 1000.0,
                histogram.getValueAtPercentile(99) / 1000.0, histogram.getMaxValue() / 1000.0);
    }

    private void startNode() throws Exception {
        int port = freePort();
        List<String> hosts = new ArrayList<>();
        nodes.forEach(n -> hosts.add("127.0.0.1[" + n.port() + "]"));
        hosts.add("127.0.0.1[" + port + "]");
        ElectionConfig config = new ElectionConfig(Duration.ofSeconds(1), Duration.ofMillis(300),
                Duration.ofMillis(1500), Duration.ofMillis(500), Duration.ofSeconds(30), "fabsim-bench-",
                new ElectionConfig.JGroups(Optional.of(stack), "127.0.0.1", port, hosts));
        ElectionIdentity id = new ElectionIdentity(org, "peer" + started++, Map.of());
        JChannel channel = JGroupsStack.channel(config.jgroups(), id);
        DISCARD discard = new DISCARD();
        channel.getProtocolStack().insertProtocol(discard, ProtocolStack.Position.ABOVE, TCP.class);
        JGroupsLeaderElection election = JGroupsLeaderElection.over(channel, config, id, Clock.system());
        election.start();
        election.join(CH, true, new LeadershipListener() {
            @Override
            public void onLeadershipChanged(String channel, boolean isLeader) {
                if (isLeader) {
                    electedAt = Clock.system().nanoTime();
                    elected.countDown();
                }
            }
        });
        nodes.add(new Node(election, discard, port));
    }

    /**
     * Kills a member as kill -9 would: nothing more leaves it (no LEAVE request) and its TCP and
     * FD_SOCK2 sockets close at once, without GMS's graceful leave.
     */
    static void crash(JChannel channel, DISCARD discard) {
        discard.discardAll(true);
        channel.getProtocolStack().stopStack(channel.getClusterName());
    }

    /** A port free on 127.0.0.1 with port + 100 (FD_SOCK2) free as well. */
    private static int freePort() throws IOException {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        for (int attempt = 0; attempt < 200; attempt++) {
            try (ServerSocket s = new ServerSocket(0, 1, lo)) {
                int p = s.getLocalPort();
                if (p + 105 <= 65535) {
                    try (ServerSocket fd = new ServerSocket(p + 100, 1, lo)) {
                        return p;
                    } catch (IOException busy) {
                        // try another
                    }
                }
            }
        }
        throw new IOException("no free port pair on 127.0.0.1");
    }
}
