package io.fabsim.peer;

import io.fabsim.common.crypto.Signer;
import io.fabsim.common.grpc.ServerTls;
import io.fabsim.common.msp.LocalMsp;
import io.fabsim.common.testing.FabricVectors;
import io.fabsim.deliverserver.testing.TestOrderer;
import io.fabsim.tools.testing.GeneratedCrypto;
import io.fabsim.tools.testing.VectorGenesis;
import java.nio.file.Path;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Block;

/**
 * The ordering service of the peer tests: a {@link TestOrderer} of channel {@value #CHANNEL} (plaintext,
 * or server-side TLS) whose genesis block names its own port and whose blocks are signed by
 * {@code orderer.example.com}, each holding one transaction of {@code User1@org1.example.com}. The crypto
 * material is the project's own cryptogen output ({@link GeneratedCrypto}) unless a test about real
 * Fabric names the vectors.
 */
final class TestOrderers {

    static final String CHANNEL = "peerch";

    private TestOrderers() {
    }

    static TestOrderer start() throws Exception {
        return start(GeneratedCrypto.dir(), false);
    }

    /**
     * {@code crypto}: a folder holding {@code crypto-config/} in the vectors' layout; {@code tls}: serve with
     * its {@code orderer.example.com} TLS certificate (server-side TLS).
     */
    static TestOrderer start(Path crypto, boolean tls) throws Exception {
        Path orderer = crypto.resolve("crypto-config/ordererOrganizations/example.com/orderers/orderer.example.com");
        TestOrderer.Signers signers = new TestOrderer.Signers(
                LocalMsp.loadSigningIdentity("OrdererMSP", orderer.resolve("msp")),
                LocalMsp.loadSigningIdentity("Org1MSP",
                        crypto.resolve("crypto-config/peerOrganizations/org1.example.com/users/User1@org1.example.com/msp")));
        Optional<ServerTls> serverTls = tls
                ? Optional.of(ServerTls.serverOnly(orderer.resolve("tls/server.crt"), orderer.resolve("tls/server.key")))
                : Optional.empty();
        TestOrderer started = TestOrderer.cutting(CHANNEL, serverTls, signers);
        try {
            started.append(genesisFor(crypto, started.port()));
            return started;
        } catch (Exception e) {
            started.close();
            throw e;
        }
    }

    /** The genesis block of an orderer listening on {@code port}. */
    interface Genesis {
        Block at(int port) throws Exception;
    }

    /**
     * An orderer signing as {@code ordererSigner} (its transactions by {@code User1@org1.example.com} of
     * {@code crypto}), serving plaintext or {@code tls}, whose genesis block {@code genesis} makes.
     */
    static TestOrderer start(Path crypto, Signer ordererSigner, Optional<ServerTls> tls, Genesis genesis) throws Exception {
        TestOrderer started = TestOrderer.cutting(CHANNEL, tls, new TestOrderer.Signers(ordererSigner,
                LocalMsp.loadSigningIdentity("Org1MSP",
                        crypto.resolve("crypto-config/peerOrganizations/org1.example.com/users/User1@org1.example.com/msp"))));
        try {
            started.append(genesis.at(started.port()));
            return started;
        } catch (Exception e) {
            started.close();
            throw e;
        }
    }

    /** The vectors' orgs, as configtxgen makes them, with this orderer's address as its endpoint. */
    static Block genesisFor(int port) throws Exception {
        return genesisFor(FabricVectors.dir(), port);
    }

    /** The same orgs with the MSPs under {@code crypto/crypto-config}. */
    static Block genesisFor(Path crypto, int port) throws Exception {
        return VectorGenesis.block(CHANNEL, port, crypto);
    }
}
