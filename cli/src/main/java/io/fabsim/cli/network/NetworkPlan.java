package io.fabsim.cli.network;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where everything of a network goes: ports chosen free at run time, and the files under the
 * network directory ({@code crypto/}, {@code channels/}, {@code nodes/<name>.conf},
 * {@code data/<name>/}, {@code logs/<name>.log}).
 */
record NetworkPlan(Path dir, NetworkSpec spec, List<OrdererNode> orderers, List<PeerNode> peers,
                   Optional<NetnsLayout> netns) {

    record OrdererNode(String name, NetworkSpec.Orderer spec, int grpcPort, int operationsPort, int adminPort) {
    }

    record PeerNode(String name, NetworkSpec.Org org, NetworkSpec.Peer spec, int grpcPort, int operationsPort,
                    int electionPort, List<String> channels) {
        /** The peer's host name in the cryptogen layout: {@code peer0.org1.example.com}. */
        String fqdn() {
            return spec.name() + "." + org.domain();
        }
    }

    static NetworkPlan of(NetworkSpec spec, Path dir) throws IOException {
        PortAllocator ports = new PortAllocator(spec.host());
        List<OrdererNode> orderers = new ArrayList<>();
        for (NetworkSpec.Orderer o : spec.orderers()) {
            orderers.add(new OrdererNode(o.name(), o, ports.next(), ports.next(), ports.next()));
        }
        List<PeerNode> peers = new ArrayList<>();
        for (NetworkSpec.Org org : spec.orgs()) {
            List<String> channels = spec.channels().stream().filter(c -> c.orgs().contains(org.name()))
                    .map(NetworkSpec.Channel::name).toList();
            for (NetworkSpec.Peer p : org.peers()) {
                peers.add(new PeerNode(p.name() + "." + org.shortName(), org, p, ports.next(), ports.next(), ports.nextElectionPort(),
                        channels));
            }
        }
        return new NetworkPlan(dir.toAbsolutePath(), spec, List.copyOf(orderers), List.copyOf(peers), Optional.empty());
    }

    /** This plan with each peer in its namespace of {@code layout}: peers bind their own address, orderers the bridge's. */
    NetworkPlan withNetns(NetnsLayout layout) {
        return new NetworkPlan(dir, spec, orderers, peers, Optional.of(layout));
    }

    List<String> peerNames() {
        return peers.stream().map(PeerNode::name).toList();
    }

    String address(int port) {
        return hostOf(port) + ":" + port;
    }

    /**
     * The address a port of this plan is bound on (every port of a plan is distinct): the network's
     * host, or in netns mode the owning peer's namespace address, and the bridge's for orderers.
     */
    String hostOf(int port) {
        if (netns.isEmpty()) {
            return spec.host();
        }
        return peers.stream()
                .filter(p -> p.grpcPort() == port || p.operationsPort() == port || p.electionPort() == port)
                .findFirst()
                .flatMap(p -> netns.get().slot(p.name()))
                .map(NetnsLayout.Slot::address)
                .orElse(netns.get().bridgeAddress());
    }

    Path cryptoDir() {
        return dir.resolve("crypto");
    }

    Path channelBlock(String channel) {
        return dir.resolve("channels").resolve(channel + ".block");
    }

    Path configFile(String node) {
        return dir.resolve("nodes").resolve(node + ".conf");
    }

    Path dataDir(String node) {
        return dir.resolve("data").resolve(node);
    }

    Path logFile(String node) {
        return dir.resolve("logs").resolve(node + ".log");
    }

    Path ordererNodeDir(String name) {
        return cryptoDir().resolve("ordererOrganizations").resolve(spec.ordererOrg().domain()).resolve("orderers")
                .resolve(name + "." + spec.ordererOrg().domain());
    }

    Path peerNodeDir(PeerNode peer) {
        return cryptoDir().resolve("peerOrganizations").resolve(peer.org().domain()).resolve("peers").resolve(peer.fqdn());
    }

    Path ordererTlsCa() {
        return cryptoDir().resolve("ordererOrganizations").resolve(spec.ordererOrg().domain()).resolve("tlsca")
                .resolve("tlsca." + spec.ordererOrg().domain() + "-cert.pem");
    }

    Path peerTlsCa(NetworkSpec.Org org) {
        return cryptoDir().resolve("peerOrganizations").resolve(org.domain()).resolve("tlsca")
                .resolve("tlsca." + org.domain() + "-cert.pem");
    }

    /** Every orderer's client address, the source first: peers may read from any of them. */
    List<String> ordererAddresses() {
        return orderers.stream().map(o -> address(o.grpcPort())).toList();
    }

    List<PeerNode> peersOf(NetworkSpec.Org org) {
        return peers.stream().filter(p -> p.org().name().equals(org.name())).toList();
    }
}
