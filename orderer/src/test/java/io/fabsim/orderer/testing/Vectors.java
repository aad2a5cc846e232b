package io.fabsim.orderer.testing;

import io.fabsim.common.msp.LocalMsp;
import io.fabsim.common.msp.SigningIdentity;
import io.fabsim.common.testing.FabricVectors;
import io.fabsim.common.time.Clock;
import io.fabsim.tools.testing.GeneratedCrypto;
import io.fabsim.tools.testing.VectorGenesis;
import java.nio.file.Path;
import org.hyperledger.fabric.protos.common.Block;

/**
 * The vectors' channel {@code vectors} as this module's tests use it: its crypto material and genesis block,
 * either Fabric v2.5.12's own ({@link #fabric()}, skipped when the vectors are absent; with the recorded
 * chain, {@link #block}) or the same organizations and profile made by the project's cryptogen and
 * configtxgen ({@link #generated()}), for tests that need a valid channel but not Fabric's bytes.
 */
public final class Vectors {

    public static final String CHANNEL = "vectors";

    private static Vectors generated;

    private final Path base;
    private final Block genesis;

    private Vectors(Path base, Block genesis) {
        this.base = base;
        this.genesis = genesis;
    }

    /** Fabric's own files. */
    public static Vectors fabric() {
        return new Vectors(FabricVectors.dir(), block(0));
    }

    /** Made by the project's tools, once per JVM. */
    public static synchronized Vectors generated() {
        if (generated == null) {
            try {
                generated = new Vectors(GeneratedCrypto.dir(),
                        VectorGenesis.vectorsProfile(CHANNEL, GeneratedCrypto.dir(), Clock.system()));
            } catch (Exception e) {
                throw new IllegalStateException("cannot make the generated vectors channel", e);
            }
        }
        return generated;
    }

    public Block genesis() {
        return genesis;
    }

    public Path crypto() {
        return base.resolve("crypto-config");
    }

    public Path ordererNode() {
        return crypto().resolve("ordererOrganizations/example.com/orderers/orderer.example.com");
    }

    public Path ordererTlsCa() {
        return crypto().resolve("ordererOrganizations/example.com/tlsca/tlsca.example.com-cert.pem");
    }

    public Path user(String org, String user) {
        String domain = org + ".example.com";
        return crypto().resolve("peerOrganizations/" + domain + "/users/" + user + "@" + domain);
    }

    public SigningIdentity ordererSigner() {
        return LocalMsp.loadSigningIdentity("OrdererMSP", ordererNode().resolve("msp"));
    }

    public SigningIdentity ordererAdmin() {
        return LocalMsp.loadSigningIdentity("OrdererMSP",
                crypto().resolve("ordererOrganizations/example.com/users/Admin@example.com/msp"));
    }

    /** {@code org} is {@code org1} or {@code org2}. */
    public SigningIdentity member(String org, String user) {
        String mspId = org.equals("org1") ? "Org1MSP" : "Org2MSP";
        return LocalMsp.loadSigningIdentity(mspId, user(org, user).resolve("msp"));
    }

    /** Block {@code number} of the chain Fabric recorded. */
    public static Block block(int number) {
        try {
            return Block.parseFrom(FabricVectors.read(FabricVectors.chainBlock(number)));
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }
}
