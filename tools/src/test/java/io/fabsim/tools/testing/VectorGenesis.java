package io.fabsim.tools.testing;

import io.fabsim.common.config.ConfigLoader;
import io.fabsim.common.testing.FabricVectors;
import io.fabsim.common.time.Clock;
import io.fabsim.tools.configtxgen.ConfigtxConfig;
import io.fabsim.tools.configtxgen.ConfigtxGenerator;
import java.nio.file.Path;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Block;

/**
 * Genesis blocks for the vectors' organizations (OrdererMSP orders, Org1MSP is the application org),
 * made with the project's configtxgen, naming one orderer endpoint on 127.0.0.1.
 */
public final class VectorGenesis {

    private VectorGenesis() {
    }

    /** The genesis block of {@code channel} whose orderer endpoint is {@code 127.0.0.1:port}. */
    public static Block block(String channel, int ordererPort) throws Exception {
        return block(channel, ordererPort, FabricVectors.dir().resolve("crypto-config/ordererOrganizations/example.com/msp"));
    }

    /** As {@link #block(String, int)}, with OrdererMSP read from the MSP folder {@code ordererMsp}. */
    public static Block block(String channel, int ordererPort, Path ordererMsp) throws Exception {
        String conf = """
                Organizations {
                  OrdererOrg { Name = OrdererOrg, ID = OrdererMSP, MSPDir = "%s"
                               OrdererEndpoints = ["127.0.0.1:%d"] }
                  Org1 { Name = Org1MSP, ID = Org1MSP, MSPDir = "crypto-config/peerOrganizations/org1.example.com/msp" }
                }
                Profiles {
                  Test {
                    Orderer {
                      OrdererType = solo
                      BatchTimeout = 250ms
                      BatchSize { MaxMessageCount = 5, AbsoluteMaxBytes = "99 MB", PreferredMaxBytes = "512 KB" }
                      Organizations = [OrdererOrg]
                    }
                    Application { Organizations = [Org1] }
                  }
                }
                """.formatted(ordererMsp.toAbsolutePath(), ordererPort);
        ConfigtxConfig file = ConfigtxConfig.from(ConfigLoader.fromString(conf), Optional.of(FabricVectors.dir()));
        return ConfigtxGenerator.genesisBlock(channel, ConfigtxGenerator.channelConfig(file, file.profile("Test")),
                Clock.system());
    }
}
