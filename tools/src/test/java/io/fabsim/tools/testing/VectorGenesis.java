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
 * made with the project's configtxgen, naming one orderer endpoint on 127.0.0.1. The MSP folders come
 * from the Fabric vectors, or from any folder with the same {@code crypto-config/} layout, such as
 * {@link GeneratedCrypto#dir()}.
 */
public final class VectorGenesis {

    public static final String VECTORS_PROFILE = "TwoOrgsVectorsEtcdRaft";

    /** The vectors' configtx.yaml, profile {@value #VECTORS_PROFILE}, in HOCON (paths relative to the crypto base). */
    public static final String VECTORS_CONFIGTX = """
            Organizations {
              OrdererOrg { Name = OrdererOrg, ID = OrdererMSP, MSPDir = "crypto-config/ordererOrganizations/example.com/msp"
                           OrdererEndpoints = ["127.0.0.1:17050"] }
              Org1 { Name = Org1MSP, ID = Org1MSP, MSPDir = "crypto-config/peerOrganizations/org1.example.com/msp" }
              Org2 { Name = Org2MSP, ID = Org2MSP, MSPDir = "crypto-config/peerOrganizations/org2.example.com/msp" }
            }
            Profiles {
              TwoOrgsVectorsEtcdRaft {
                Orderer {
                  OrdererType = etcdraft
                  BatchTimeout = 250ms
                  BatchSize { MaxMessageCount = 5, AbsoluteMaxBytes = "99 MB", PreferredMaxBytes = "512 KB" }
                  EtcdRaft.Consenters = [{ Host = 127.0.0.1, Port = 17060
                    ClientTLSCert = "crypto-config/ordererOrganizations/example.com/orderers/orderer.example.com/tls/server.crt"
                    ServerTLSCert = "crypto-config/ordererOrganizations/example.com/orderers/orderer.example.com/tls/server.crt" }]
                  Organizations = [OrdererOrg]
                }
                Application { Organizations = [Org1, Org2] }
              }
            }
            """;

    private VectorGenesis() {
    }

    /**
     * The genesis block of {@code channel} made from the vectors' own profile (both orgs, etcdraft, the
     * vectors' batch settings) for the MSPs and TLS certificates under {@code base/crypto-config}.
     */
    public static Block vectorsProfile(String channel, Path base, Clock clock) throws Exception {
        ConfigtxConfig file = ConfigtxConfig.from(ConfigLoader.fromString(VECTORS_CONFIGTX), Optional.of(base));
        return ConfigtxGenerator.genesisBlock(channel, ConfigtxGenerator.channelConfig(file, file.profile(VECTORS_PROFILE)),
                clock);
    }

    /** The genesis block of {@code channel} whose orderer endpoint is {@code 127.0.0.1:port}, for the vectors' MSPs. */
    public static Block block(String channel, int ordererPort) throws Exception {
        return block(channel, ordererPort, FabricVectors.dir());
    }

    /** The same for the MSPs under {@code base/crypto-config}. */
    public static Block block(String channel, int ordererPort, Path base) throws Exception {
        return block(channel, ordererPort, base, base.resolve("crypto-config/ordererOrganizations/example.com/msp"));
    }

    /** As {@link #block(String, int, Path)}, with OrdererMSP read from the MSP folder {@code ordererMsp}. */
    public static Block block(String channel, int ordererPort, Path base, Path ordererMsp) throws Exception {
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
        ConfigtxConfig file = ConfigtxConfig.from(ConfigLoader.fromString(conf), Optional.of(base));
        return ConfigtxGenerator.genesisBlock(channel, ConfigtxGenerator.channelConfig(file, file.profile("Test")),
                Clock.system());
    }
}
