package io.fabsim.cli.scenario;

import io.fabsim.cli.network.NetworkSpec;
import io.fabsim.cli.network.NetworkSpec.Mode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Small networks for scenarios (and the console's test): sized for a busy 2-core machine, with load so blocks keep coming. */
public final class Networks {

    static final String ORG1 = "Org1";
    static final String ORG2 = "Org2";
    static final String CHANNEL = "ch1";

    private Networks() {
    }

    /** One orderer (plus a follower when asked), Org1 with {@code peers} peers in {@code mode}, one channel. */
    public static NetworkSpec oneOrg(int peers, Mode mode, boolean follower) {
        return build(List.of(org(ORG1, "org1.example.com", peers, mode)), follower);
    }

    /** Org1 with election next to Org2 with one static leader and one peer relying on gossip. */
    static NetworkSpec mixed() {
        NetworkSpec.Org org2 = new NetworkSpec.Org(ORG2, "Org2MSP", "org2.example.com",
                List.of(new NetworkSpec.Peer("peer0", Mode.STATIC), new NetworkSpec.Peer("peer1", Mode.NONE)));
        return build(List.of(org(ORG1, "org1.example.com", 3, Mode.ELECTION), org2), false);
    }

    private static NetworkSpec build(List<NetworkSpec.Org> orgs, boolean follower) {
        List<NetworkSpec.Orderer> orderers = new ArrayList<>();
        orderers.add(new NetworkSpec.Orderer("orderer0", Optional.empty()));
        if (follower) {
            orderers.add(new NetworkSpec.Orderer("orderer1", Optional.of("orderer0")));
        }
        List<String> orgNames = orgs.stream().map(NetworkSpec.Org::name).toList();
        return new NetworkSpec("127.0.0.1", new NetworkSpec.OrdererOrg("OrdererOrg", "OrdererMSP", "example.com"),
                List.copyOf(orderers), orgs, List.of(new NetworkSpec.Channel(CHANNEL, orgNames)), true, true,
                Duration.ofMillis(300), 10, 20, 512, Duration.ofSeconds(90),
                "-Xms32m -Xmx192m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k");
    }

    private static NetworkSpec.Org org(String name, String domain, int peers, Mode mode) {
        List<NetworkSpec.Peer> list = new ArrayList<>();
        for (int i = 0; i < peers; i++) {
            list.add(new NetworkSpec.Peer("peer" + i, mode));
        }
        return new NetworkSpec.Org(name, name + "MSP", domain, List.copyOf(list));
    }
}
