package io.fabsim.election.jgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabsim.election.ElectionIdentity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jgroups.JChannel;
import org.jgroups.protocols.DISCARD;
import org.jgroups.protocols.TCP;
import org.jgroups.stack.ProtocolStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ProbingVerifySuspect} in the real stack file ({@code conf/jgroups-tcp.xml}) over TCP on
 * 127.0.0.1: three members, each with {@code DISCARD} above its transport.
 */
class ProbingVerifySuspectTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration VERIFY_TIMEOUT = Duration.ofSeconds(5);
    private final List<JChannel> channels = new ArrayList<>();
    private final List<DISCARD> discards = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        List<Integer> ports = TcpElectionTest.freePorts(3);
        List<String> hosts = ports.stream().map(p -> "127.0.0.1[" + p + "]").toList();
        String cluster = "probe-test-" + ProcessHandle.current().pid();
        for (int i = 0; i < 3; i++) {
            JChannel channel = JGroupsStack.channel(TcpElectionTest.config(ports.get(i), hosts).jgroups(),
                    new ElectionIdentity("ProbeMSP", "m" + i, Map.of()));
            DISCARD discard = new DISCARD();
            channel.getProtocolStack().insertProtocol(discard, ProtocolStack.Position.ABOVE, TCP.class);
            channel.name("m" + i);
            // a long verification, so that only the probe can settle a suspicion quickly, however
            // late the busy machine runs it
            channel.getProtocolStack().<ProbingVerifySuspect>findProtocol(ProbingVerifySuspect.class)
                    .setTimeout(VERIFY_TIMEOUT.toMillis());
            channels.add(channel);
            discards.add(discard);
            channel.connect(cluster);
        }
        await().atMost(WAIT).until(() -> channels.stream().allMatch(c -> c.getView().size() == 3));
    }

    @AfterEach
    void close() {
        channels.forEach(JChannel::close);
    }

    /**
     * Scenario: the last member crashes: no LEAVE goes out and its stack stops, so its sockets
     * close and its port refuses connections, as after kill -9. Expected: the others install a view
     * without it, and the suspicion was settled by the refused dial, not by the verification timeout
     * (set to 5 s here).
     */
    @Test
    void aCrashedMemberWhosePortRefusesIsExcludedWithoutWaitingForTheVerification() {
        JChannel crashed = channels.get(2);
        discards.get(2).discardAll(true);
        crashed.getProtocolStack().stopStack(crashed.getClusterName());

        List<JChannel> survivors = channels.subList(0, 2);
        await().atMost(WAIT).until(() -> survivors.stream().allMatch(c -> c.getView().size() == 2));
        assertThat(survivors.get(0).getView().containsMember(crashed.getAddress())).isFalse();
        assertThat(survivors.stream().mapToLong(ProbingVerifySuspectTest::certainDeaths).sum()).isPositive();
    }

    /**
     * Scenario: the last member hangs: it drops every message but its process and sockets stay (as
     * with SIGSTOP). Expected: FD_ALL3 suspects it and the others exclude it after the verification;
     * the dial to its port connects, so no suspicion is settled as a certain death.
     */
    @Test
    void aHungMemberIsExcludedByTheVerificationNotByTheProbe() {
        JChannel hung = channels.get(2);
        discards.get(2).discardAll(true);

        List<JChannel> survivors = channels.subList(0, 2);
        await().atMost(WAIT).until(() -> survivors.stream().allMatch(c -> c.getView().size() == 2));
        assertThat(survivors.get(0).getView().containsMember(hung.getAddress())).isFalse();
        assertThat(survivors.stream().mapToLong(ProbingVerifySuspectTest::certainDeaths).sum()).isZero();
    }

    private static long certainDeaths(JChannel channel) {
        ProbingVerifySuspect probe = channel.getProtocolStack().findProtocol(ProbingVerifySuspect.class);
        return probe.certainDeaths();
    }
}
