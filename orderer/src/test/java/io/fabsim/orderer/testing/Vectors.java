package io.fabsim.orderer.testing;

import io.fabsim.common.msp.LocalMsp;
import io.fabsim.common.msp.SigningIdentity;
import io.fabsim.common.testing.FabricVectors;
import java.nio.file.Path;
import org.hyperledger.fabric.protos.common.Block;

/** The Fabric v2.5.12 vectors (channel {@code vectors}) as this module's tests use them; skipped when absent. */
public final class Vectors {

    public static final String CHANNEL = "vectors";

    private Vectors() {
    }

    public static Path crypto() {
        return FabricVectors.dir().resolve("crypto-config");
    }

    public static Path ordererNode() {
        return crypto().resolve("ordererOrganizations/example.com/orderers/orderer.example.com");
    }

    public static Path ordererTlsCa() {
        return crypto().resolve("ordererOrganizations/example.com/tlsca/tlsca.example.com-cert.pem");
    }

    public static Path user(String org, String user) {
        String domain = org + ".example.com";
        return crypto().resolve("peerOrganizations/" + domain + "/users/" + user + "@" + domain);
    }

    public static SigningIdentity ordererSigner() {
        return LocalMsp.loadSigningIdentity("OrdererMSP", ordererNode().resolve("msp"));
    }

    public static SigningIdentity ordererAdmin() {
        return LocalMsp.loadSigningIdentity("OrdererMSP",
                crypto().resolve("ordererOrganizations/example.com/users/Admin@example.com/msp"));
    }

    /** {@code org} is {@code org1} or {@code org2}. */
    public static SigningIdentity member(String org, String user) {
        String mspId = org.equals("org1") ? "Org1MSP" : "Org2MSP";
        return LocalMsp.loadSigningIdentity(mspId, user(org, user).resolve("msp"));
    }

    public static Block block(int number) {
        try {
            return Block.parseFrom(FabricVectors.read(FabricVectors.chainBlock(number)));
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }
}
