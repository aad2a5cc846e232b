package io.fabsim.cli.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NetnsTest {

    /** Pretends to be ip: remembers links and namespaces added and deleted, and every command. */
    static final class FakeIp implements CommandRunner {
        final List<String> commands = new ArrayList<>();
        final Set<String> links = new HashSet<>();
        final Set<String> namespaces = new HashSet<>();
        String failOn = "";

        @Override
        public Result run(List<String> command) {
            String line = String.join(" ", command.subList(1, command.size()));
            commands.add(line);
            if (!failOn.isEmpty() && line.startsWith(failOn)) {
                return new Result(2, "RTNETLINK answers: Operation not permitted");
            }
            List<String> a = command.subList(1, command.size());
            if (line.startsWith("netns list")) {
                return new Result(0, String.join("\n", namespaces.stream().map(n -> n + " (id: 1)").toList()));
            }
            if (line.startsWith("netns add ")) {
                namespaces.add(a.get(2));
            } else if (line.startsWith("netns del ")) {
                namespaces.remove(a.get(2));
            } else if (line.startsWith("link add ")) {
                links.add(a.get(2));
            } else if (line.startsWith("link del dev ")) {
                links.remove(a.get(3));
            } else if (line.startsWith("link show dev ")) {
                return new Result(links.contains(a.get(3)) ? 0 : 1, "");
            }
            return new Result(0, "");
        }
    }

    private final FakeIp fake = new FakeIp();
    private final Netns netns = new Netns("/sbin/ip", fake);
    private final NetnsLayout layout = NetnsLayout.of(10, List.of("peer0.org1", "peer1.org1"));

    @Test
    void createBuildsTheBridgeThenOneNamespaceAndVethPerPeer() throws Exception {
        netns.create(layout);

        assertThat(fake.commands).containsExactly(
                "link add fs0abr type bridge",
                "addr add 10.213.10.1/24 dev fs0abr",
                "link set fs0abr up",
                "netns add fs0a-peer0.org1",
                "link add fs0ah0 type veth peer name fs0an0 netns fs0a-peer0.org1",
                "link set fs0ah0 master fs0abr",
                "link set fs0ah0 up",
                "-n fs0a-peer0.org1 addr add 10.213.10.10/24 dev fs0an0",
                "-n fs0a-peer0.org1 link set fs0an0 up",
                "-n fs0a-peer0.org1 link set lo up",
                "netns add fs0a-peer1.org1",
                "link add fs0ah1 type veth peer name fs0an1 netns fs0a-peer1.org1",
                "link set fs0ah1 master fs0abr",
                "link set fs0ah1 up",
                "-n fs0a-peer1.org1 addr add 10.213.10.11/24 dev fs0an1",
                "-n fs0a-peer1.org1 link set fs0an1 up",
                "-n fs0a-peer1.org1 link set lo up");
    }

    @Test
    void aFailedStepNamesTheCommandAndWhatIpSaid() {
        fake.failOn = "netns add fs0a-peer1";

        assertThatThrownBy(() -> netns.create(layout))
                .hasMessage("/sbin/ip netns add fs0a-peer1.org1 failed (exit 2): RTNETLINK answers: Operation not permitted");
    }

    @Test
    void deleteRemovesWhatExistsAndSkipsWhatDoesNot() throws Exception {
        fake.failOn = "link add fs0ah1";
        assertThatThrownBy(() -> netns.create(layout)).isInstanceOf(java.io.IOException.class);
        fake.failOn = "";
        fake.commands.clear();

        List<String> problems = netns.delete(layout);

        assertThat(problems).isEmpty();
        assertThat(fake.links).isEmpty();
        assertThat(fake.namespaces).isEmpty();
        assertThat(fake.commands).contains("netns del fs0a-peer0.org1", "netns del fs0a-peer1.org1", "link del dev fs0abr",
                "link del dev fs0ah0").doesNotContain("link del dev fs0ah1");
        assertThat(fake.commands).allMatch(c -> !c.contains(" del ") || c.contains("fs0a"));
    }

    @Test
    void deleteReportsWhatRemains() throws Exception {
        netns.create(layout);
        fake.failOn = "link del dev fs0abr";

        assertThat(netns.delete(layout)).containsExactly(
                "/sbin/ip link del dev fs0abr: RTNETLINK answers: Operation not permitted");
    }

    @Test
    void cutAndRestoreSetTheHostEndDownAndUp() throws Exception {
        NetnsLayout.Slot slot = layout.slot("peer1.org1").orElseThrow();

        netns.cut(slot);
        netns.restore(slot);

        assertThat(fake.commands).containsExactly("link set dev fs0ah1 down", "link set dev fs0ah1 up");
        assertThat(netns.execPrefix(slot)).containsExactly("/sbin/ip", "netns", "exec", "fs0a-peer1.org1");
    }

    @Test
    void ipOutputIsParsedIntoNames() {
        assertThat(Netns.linkNames("1: lo: <LOOPBACK,UP> mtu 65536\n7: fs0ah1@if6: <BROADCAST> mtu 1500\n"))
                .containsExactly("lo", "fs0ah1");
        assertThat(Netns.namespaceNames("fs0a-peer1.org1 (id: 3)\nother\n")).containsExactly("fs0a-peer1.org1", "other");
    }

    @Test
    void aProcessInANamespaceStartsUnderTheExecPrefix() {
        List<String> command = Processes.command(List.of("/sbin/ip", "netns", "exec", "fs0a-peer0.org1"),
                List.of("peer", "node", "start"), " -Xmx64m ");

        int prefixAt = command.indexOf("/sbin/ip");
        assertThat(command.subList(prefixAt, prefixAt + 4)).containsExactly("/sbin/ip", "netns", "exec", "fs0a-peer0.org1");
        assertThat(command.get(prefixAt + 4)).endsWith("java");
        assertThat(command.get(prefixAt + 5)).isEqualTo("-Xmx64m");
        assertThat(command.subList(command.size() - 4, command.size()))
                .containsExactly("io.fabsim.cli.FabsimCli", "peer", "node", "start");
    }
}
