package io.fabsim.common.protoutil;

import io.fabsim.common.testing.FabricVectors;
import java.nio.file.Path;
import org.hyperledger.fabric.protos.common.Block;

/** Paths and blocks of the Fabric vectors used by this package's tests. */
final class VectorFiles {

    private VectorFiles() {
    }

    static Path org1Admin() {
        return FabricVectors.dir().resolve(
                "crypto-config/peerOrganizations/org1.example.com/users/Admin@org1.example.com/msp");
    }

    static Path orderer() {
        return FabricVectors.dir().resolve(
                "crypto-config/ordererOrganizations/example.com/orderers/orderer.example.com/msp");
    }

    static Block block(int number) throws Exception {
        return Block.parseFrom(FabricVectors.read(FabricVectors.chainBlock(number)));
    }

    static Block negative(String name) throws Exception {
        return Block.parseFrom(FabricVectors.read(FabricVectors.dir().resolve("negative/" + name + ".block")));
    }
}
