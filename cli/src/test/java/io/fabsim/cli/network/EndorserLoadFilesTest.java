package io.fabsim.cli.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabsim.cli.FabsimCli;
import io.fabsim.common.config.ConfigException;
import io.fabsim.common.config.ConfigLoader;
import io.fabsim.common.msp.LocalMsp;
import io.fabsim.orderer.OrdererConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario: a network description with {@code load.kind = endorser}, two orgs; its crypto material
 * made by cryptogen and its orderer's configuration written as {@code network up} writes them.
 * Expected: the orderer reads endorser load with, per org, User1 as client and peer0 as endorser,
 * each an MSP folder cryptogen made (loadable as a signing identity); a kind that is neither is
 * refused naming the key and the kinds allowed.
 */
class EndorserLoadFilesTest {

    @TempDir
    Path dir;

    private static final String NETWORK = """
            network {
              orderers = [ { name = orderer0 } ]
              orgs = [ { name = Org1, mspId = Org1MSP, domain = org1.example.com, peers = [ { name = peer0 }, { name = peer1 } ] }
                       { name = Org2, mspId = Org2MSP, domain = org2.example.com, peers = [ { name = peer0 } ] } ]
              channels = [ { name = ch1 } ]
              load { kind = endorser }
            }
            """;

    @Test
    void theOrdererOfAnEndorserLoadNetworkSignsWithEachOrgsUserAndPeer() throws Exception {
        NetworkSpec spec = NetworkSpec.fromString(NETWORK);
        assertThat(spec.loadKind()).isEqualTo(NetworkSpec.LoadKind.ENDORSER);
        NetworkPlan plan = NetworkPlan.of(spec, dir);
        PrintWriter out = new PrintWriter(System.out, true);
        assertThat(FabsimCli.run(new String[] {"cryptogen", "generate", "--config",
                NetworkFiles.writeCryptoConfig(plan).toString(), "--output", plan.cryptoDir().toString()}, out, out)).isZero();

        Path file = NetworkFiles.writeOrdererConfig(plan, plan.orderers().get(0));
        OrdererConfig config = OrdererConfig.from(ConfigLoader.load(Optional.of(file), java.util.Map.of(),
                OrdererConfig.ENV_PREFIXES));
        assertThat(config.load().enabled()).isTrue();
        assertThat(config.load().kind()).isEqualTo(OrdererConfig.LoadKind.ENDORSER);
        assertThat(config.load().signers()).containsOnlyKeys("Org1MSP", "Org2MSP");
        OrdererConfig.LoadSigners org1 = config.load().signers().get("Org1MSP");
        assertThat(LocalMsp.loadSigningIdentity("Org1MSP", org1.client()).certificate().getSubjectX500Principal().getName())
                .contains("User1@org1.example.com");
        assertThat(LocalMsp.loadSigningIdentity("Org1MSP", org1.endorser()).certificate().getSubjectX500Principal().getName())
                .contains("peer0.org1.example.com");
        assertThat(LocalMsp.loadSigningIdentity("Org2MSP", config.load().signers().get("Org2MSP").endorser()).certificate()
                .getSubjectX500Principal().getName()).contains("peer0.org2.example.com");

        assertThat(NetworkSpec.fromString(NETWORK.replace("kind = endorser", "")).loadKind())
                .isEqualTo(NetworkSpec.LoadKind.MESSAGE);
        assertThatThrownBy(() -> NetworkSpec.fromString(NETWORK.replace("kind = endorser", "kind = chaincode")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("network.load.kind")
                .hasMessageContaining("[message, endorser]");
    }
}
