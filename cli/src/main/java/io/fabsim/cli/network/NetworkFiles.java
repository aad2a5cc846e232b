package io.fabsim.cli.network;

import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Writes the inputs of cryptogen and configtxgen and one HOCON file per process, from a
 * {@link NetworkPlan}. Every path written into a node's file is absolute, so the files work from
 * any working directory.
 */
final class NetworkFiles {

    static final String PROFILE = "NetworkChannel";

    private NetworkFiles() {
    }

    static Path writeCryptoConfig(NetworkPlan plan) throws IOException {
        NetworkSpec spec = plan.spec();
        StringBuilder s = new StringBuilder("# Written by fabsim network up: cryptogen input for this network.\n");
        s.append("OrdererOrgs = [\n  {\n    Name = ").append(q(spec.ordererOrg().name()))
                .append("\n    Domain = ").append(q(spec.ordererOrg().domain()))
                .append("\n    EnableNodeOUs = true\n    Specs = [\n");
        for (NetworkPlan.OrdererNode o : plan.orderers()) {
            s.append("      { Hostname = ").append(q(o.name())).append(", SANS = ").append(sans(plan, o.grpcPort())).append(" }\n");
        }
        s.append("    ]\n  }\n]\nPeerOrgs = [\n");
        for (NetworkSpec.Org org : spec.orgs()) {
            s.append("  {\n    Name = ").append(q(org.name())).append("\n    Domain = ").append(q(org.domain()))
                    .append("\n    EnableNodeOUs = true\n    Specs = [\n");
            for (NetworkPlan.PeerNode p : plan.peersOf(org)) {
                s.append("      { Hostname = ").append(q(p.spec().name())).append(", SANS = ").append(sans(plan, p.grpcPort())).append(" }\n");
            }
            s.append("    ]\n    Users { Count = 1 }\n  }\n");
        }
        s.append("]\n");
        return write(plan.dir().resolve("crypto-config.conf"), s.toString());
    }

    static Path writeConfigtx(NetworkPlan plan) throws IOException {
        NetworkSpec spec = plan.spec();
        String endpoints = plan.ordererAddresses().stream().map(NetworkFiles::q).collect(Collectors.joining(", "));
        StringBuilder s = new StringBuilder("# Written by fabsim network up: configtxgen input for this network.\n");
        s.append("CryptoDir = ").append(q(plan.cryptoDir().toString())).append("\nOrganizations {\n");
        s.append("  ").append(spec.ordererOrg().name()).append(" {\n    Name = ").append(q(spec.ordererOrg().name()))
                .append("\n    ID = ").append(q(spec.ordererOrg().mspId()))
                .append("\n    MSPDir = ").append(q("ordererOrganizations/" + spec.ordererOrg().domain() + "/msp"))
                .append("\n    OrdererEndpoints = [").append(endpoints).append("]\n  }\n");
        for (NetworkSpec.Org org : spec.orgs()) {
            s.append("  ").append(org.name()).append(" {\n    Name = ").append(q(org.mspId()))
                    .append("\n    ID = ").append(q(org.mspId()))
                    .append("\n    MSPDir = ").append(q("peerOrganizations/" + org.domain() + "/msp")).append("\n  }\n");
        }
        s.append("}\nProfiles {\n  ").append(PROFILE).append(" {\n    Orderer {\n      OrdererType = solo\n")
                .append("      BatchTimeout = ").append(q(goDuration(spec.batchTimeout()))).append('\n')
                .append("      BatchSize { MaxMessageCount = ").append(spec.maxMessageCount())
                .append(", AbsoluteMaxBytes = \"99 MB\", PreferredMaxBytes = \"512 KB\" }\n")
                .append("      Addresses = [").append(endpoints).append("]\n")
                .append("      Organizations = [").append(spec.ordererOrg().name()).append("]\n    }\n")
                .append("    Application {\n      Organizations = [")
                .append(spec.orgs().stream().map(NetworkSpec.Org::name).collect(Collectors.joining(", ")))
                .append("]\n    }\n  }\n}\n");
        return write(plan.dir().resolve("configtx.conf"), s.toString());
    }

    static Path writePeerConfig(NetworkPlan plan, NetworkPlan.PeerNode peer, NetworkBuilder.Options options)
            throws IOException {
        NetworkSpec spec = plan.spec();
        Path node = plan.peerNodeDir(peer);
        boolean raw = peer.spec().mode() == NetworkSpec.Mode.RAW;
        List<String> orgPeers = raw ? List.of() : plan.peersOf(peer.org()).stream()
                .filter(p -> !p.name().equals(peer.name())).map(p -> plan.address(p.grpcPort())).toList();
        List<String> electionHosts = new ArrayList<>();
        for (NetworkPlan.PeerNode p : plan.peersOf(peer.org())) {
            electionHosts.add(plan.hostOf(p.electionPort()) + "[" + p.electionPort() + "]");
        }
        List<String> clientRoots = new ArrayList<>();
        clientRoots.add(plan.peerTlsCa(peer.org()).toString());
        String s = "# Written by fabsim network up: peer " + peer.name() + " (" + peer.org().mspId() + ", mode "
                + peer.spec().mode().name().toLowerCase() + ").\n"
                + "peer {\n"
                + "  id = " + q(peer.name()) + "\n"
                + "  listenAddress = " + q(plan.address(peer.grpcPort())) + "\n"
                + "  localMspId = " + q(peer.org().mspId()) + "\n"
                + "  mspConfigPath = " + q(node.resolve("msp").toString()) + "\n"
                + "  fileSystemPath = " + q(plan.dataDir(peer.name()).toString()) + "\n"
                + "  tls {\n"
                + "    enabled = " + spec.tls() + "\n"
                + "    clientAuthRequired = " + (spec.tls() && spec.mutualTls()) + "\n"
                + "    cert.file = " + q(node.resolve("tls/server.crt").toString()) + "\n"
                + "    key.file = " + q(node.resolve("tls/server.key").toString()) + "\n"
                + "    rootcert.file = " + q(node.resolve("tls/ca.crt").toString()) + "\n"
                + "    clientRootCAs.files = " + list(clientRoots) + "\n"
                + "  }\n"
                + "  gossip {\n"
                + "    useLeaderElection = " + (peer.spec().mode() == NetworkSpec.Mode.ELECTION) + "\n"
                + "    orgLeader = " + (peer.spec().mode() == NetworkSpec.Mode.STATIC || raw) + "\n"
                + (raw ? "    state.enabled = false\n" : "")
                + "    endpoint = " + q(plan.address(peer.grpcPort())) + "\n"
                + "    bootstrap = " + list(orgPeers) + "\n"
                + "    election.algorithm = " + peer.org().electionAlgorithm().name().toLowerCase(Locale.ROOT) + "\n"
                + "    election.jgroups {\n"
                + "      bindAddress = " + q(plan.hostOf(peer.electionPort())) + "\n"
                + "      bindPort = " + peer.electionPort() + "\n"
                + "      initialHosts = " + list(electionHosts) + "\n"
                + "    }\n"
                + "  }\n"
                + "  deliveryclient {\n"
                + (raw ? "    blockGossipEnabled = false\n" : "")
                + "    reconnectTotalTimeThreshold = " + q(options.reconnectTotalTimeThreshold().toMillis() + "ms") + "\n"
                + "    reConnectBackoffThreshold = " + q(Math.min(options.reconnectTotalTimeThreshold().toMillis(), 5000) + "ms") + "\n"
                + "  }\n"
                + "}\n"
                + "operations.listenAddress = " + q(plan.address(peer.operationsPort())) + "\n";
        return write(plan.configFile(peer.name()), s);
    }

    static Path writeOrdererConfig(NetworkPlan plan, NetworkPlan.OrdererNode orderer) throws IOException {
        NetworkSpec spec = plan.spec();
        Path node = plan.ordererNodeDir(orderer.name());
        List<String> clientRoots = new ArrayList<>();
        clientRoots.add(plan.ordererTlsCa().toString());
        spec.orgs().forEach(org -> clientRoots.add(plan.peerTlsCa(org).toString()));
        String source = orderer.spec().followerOf()
                .flatMap(name -> plan.orderers().stream().filter(o -> o.name().equals(name)).findFirst())
                .map(o -> plan.address(o.grpcPort())).orElse("");
        boolean loads = source.isEmpty() && spec.loadRate() > 0 && plan.orderers().get(0).name().equals(orderer.name());
        String s = "# Written by fabsim network up: orderer " + orderer.name()
                + (source.isEmpty() ? "" : " (follower of " + orderer.spec().followerOf().orElseThrow() + ")") + ".\n"
                + "General {\n"
                + "  ListenAddress = " + q(plan.hostOf(orderer.grpcPort())) + "\n"
                + "  ListenPort = " + orderer.grpcPort() + "\n"
                + "  TLS {\n"
                + "    Enabled = " + spec.tls() + "\n"
                + "    PrivateKey = " + q(node.resolve("tls/server.key").toString()) + "\n"
                + "    Certificate = " + q(node.resolve("tls/server.crt").toString()) + "\n"
                + "    RootCAs = " + list(List.of(node.resolve("tls/ca.crt").toString())) + "\n"
                + "    ClientAuthRequired = " + (spec.tls() && spec.mutualTls()) + "\n"
                + "    ClientRootCAs = " + list(clientRoots) + "\n"
                + "  }\n"
                + "  LocalMSPDir = " + q(node.resolve("msp").toString()) + "\n"
                + "  LocalMSPID = " + q(spec.ordererOrg().mspId()) + "\n"
                + "}\n"
                + "FileLedger.Location = " + q(plan.dataDir(orderer.name()).toString()) + "\n"
                + "Operations.ListenAddress = " + q(plan.address(orderer.operationsPort())) + "\n"
                + "Admin.ListenAddress = " + q(plan.address(orderer.adminPort())) + "\n"
                + "orderer {\n"
                + "  nodeName = " + q(orderer.name()) + "\n"
                + "  follower { source = " + q(source) + ", tls = " + spec.tls() + " }\n"
                + "  load { enabled = " + loads + ", rate = " + Math.max(1, spec.loadRate()) + ", txSize = "
                + spec.loadTxSize() + ", kind = " + spec.loadKind().name().toLowerCase(java.util.Locale.ROOT) + "\n"
                + loadSigners(plan)
                + "  }\n"
                + "}\n";
        return write(plan.configFile(orderer.name()), s);
    }

    /** Every org's User1 (the client of endorser load) and peer0 (its endorser), by MSP ID. */
    private static String loadSigners(NetworkPlan plan) {
        StringBuilder s = new StringBuilder("    signers {\n");
        for (NetworkSpec.Org org : plan.spec().orgs()) {
            Path dir = plan.cryptoDir().resolve("peerOrganizations").resolve(org.domain());
            s.append("      ").append(q(org.mspId())).append(" { client = ")
                    .append(q(dir.resolve("users/User1@" + org.domain() + "/msp").toString())).append(", endorser = ")
                    .append(q(dir.resolve("peers/" + org.peers().get(0).name() + "." + org.domain() + "/msp").toString()))
                    .append(" }\n");
        }
        return s.append("    }\n").toString();
    }

    /** TLS subject alternative names of the node listening on {@code port}: localhost, the host, its own address. */
    static String sans(NetworkPlan plan, int port) {
        List<String> names = new ArrayList<>(List.of("localhost", plan.spec().host()));
        if (!names.contains(plan.hostOf(port))) {
            names.add(plan.hostOf(port));
        }
        return list(names);
    }

    static String goDuration(Duration d) {
        return d.toMillis() + "ms";
    }

    static String q(String s) {
        return ConfigValueFactory.fromAnyRef(s).render();
    }

    static String list(List<String> items) {
        return "[" + items.stream().map(NetworkFiles::q).collect(Collectors.joining(", ")) + "]";
    }

    static Path write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return file;
    }
}
