package io.fabsim.cli.bench;

import io.fabsim.cli.network.NetworkControl;
import io.fabsim.cli.network.NetworkSpec;
import io.fabsim.cli.network.NetworkState;
import io.fabsim.election.ElectionAlgorithm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.fabsim.cli.network.NetworkSpec.Mode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The networks the benchmarks run: one orderer with built-in load, one org of peers, one channel. */
final class BenchNetworks {

    static final String ORG = "Org1";
    static final String CHANNEL = "ch1";
    static final String ORDERER = "orderer0";

    /** Small heaps and the C1 compiler only: many JVMs share two cores. */
    static final String JAVA_OPTS = "-Xms32m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k";

    /** Block cutting and load of a benchmark network. */
    record Load(Duration batchTimeout, int maxMessageCount, int txPerSecond, int txSize) {
    }

    private BenchNetworks() {
    }

    /** Stops whatever {@code network up} started in {@code dir}, also after a failed start. */
    static void down(NetworkControl control, Path dir) throws IOException, InterruptedException {
        if (Files.exists(NetworkState.file(dir))) {
            control.down();
        }
    }

    /** {@link #oneOrg(int, Mode, Load, String)} with the org's peers electing by {@code algorithm}. */
    static NetworkSpec oneOrg(int peers, Load load, String javaOpts, ElectionAlgorithm algorithm) {
        NetworkSpec spec = oneOrg(peers, Mode.ELECTION, load, javaOpts);
        return new NetworkSpec(spec.host(), spec.ordererOrg(), spec.orderers(),
                List.of(spec.orgs().get(0).withElectionAlgorithm(algorithm)), spec.channels(), spec.tls(),
                spec.mutualTls(), spec.batchTimeout(), spec.maxMessageCount(), spec.loadRate(), spec.loadTxSize(),
                spec.startTimeout(), spec.javaOpts());
    }

    static NetworkSpec oneOrg(int peers, Mode mode, Load load, String javaOpts) {
        List<NetworkSpec.Peer> list = new ArrayList<>();
        for (int i = 0; i < peers; i++) {
            list.add(new NetworkSpec.Peer("peer" + i, mode));
        }
        NetworkSpec.Org org = new NetworkSpec.Org(ORG, "Org1MSP", "org1.example.com", List.copyOf(list));
        return new NetworkSpec("127.0.0.1", new NetworkSpec.OrdererOrg("OrdererOrg", "OrdererMSP", "example.com"),
                List.of(new NetworkSpec.Orderer(ORDERER, Optional.empty())), List.of(org),
                List.of(new NetworkSpec.Channel(CHANNEL, List.of(ORG))), true, true, load.batchTimeout(),
                load.maxMessageCount(), load.txPerSecond(), load.txSize(), Duration.ofMinutes(5), javaOpts);
    }
}
