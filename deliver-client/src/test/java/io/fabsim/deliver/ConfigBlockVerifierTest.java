package io.fabsim.deliver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabsim.common.testing.FabricVectors;
import io.fabsim.common.verify.InvalidBlockException;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.Test;

/** The adapter over common's ChannelBlockVerifier, on Fabric's vectors. */
class ConfigBlockVerifierTest {

    private static Block block(String path) throws Exception {
        return Block.parseFrom(FabricVectors.read(FabricVectors.dir().resolve(path)));
    }

    @Test
    void verifiesFabricsChainAndFollowsTheConfigBlock() throws Exception {
        ConfigBlockVerifier verifier = ConfigBlockVerifier.fromConfigBlock(block("chain/block_0.block"));
        OrdererAddresses addresses = verifier.ordererAddresses();
        assertThat(addresses.globalAddresses()).isEmpty();
        assertThat(addresses.orgs()).hasSize(1);
        OrdererAddresses.Org org = addresses.orgs().values().iterator().next();
        assertThat(org.addresses()).containsExactly("127.0.0.1:17050");
        assertThat(org.tlsRootCerts()).containsExactly(com.google.protobuf.ByteString.copyFrom(FabricVectors.read(
                FabricVectors.dir().resolve("crypto-config/ordererOrganizations/example.com/tlsca/tlsca.example.com-cert.pem"))));

        for (int n = 1; n <= 14; n++) {
            Block b = block("chain/block_" + n + ".block");
            verifier.verify("vectors", n, b);
            if (n == 10) {
                verifier.updateConfig(b);
            }
        }
        assertThat(verifier.config().sequence()).isEqualTo(1);
    }

    @Test
    void mapsFabricsFailuresToReasons() throws Exception {
        ConfigBlockVerifier verifier = ConfigBlockVerifier.fromConfigBlock(block("chain/block_0.block"));
        record Case(String file, InvalidBlockException.Reason reason) {
        }
        for (Case c : List.of(
                new Case("negative/block_3_tx_byte_changed.block", InvalidBlockException.Reason.DATA_HASH_MISMATCH),
                new Case("negative/block_3_orderer_signature_altered.block", InvalidBlockException.Reason.BAD_SIGNATURE),
                new Case("negative/block_3_previous_hash_altered.block", InvalidBlockException.Reason.BAD_SIGNATURE),
                new Case("negative/block_3_number_altered_to_4.block", InvalidBlockException.Reason.WRONG_NUMBER))) {
            Block b = block(c.file());
            assertThatThrownBy(() -> verifier.verify("vectors", 3, b)).as(c.file())
                    .isInstanceOfSatisfying(InvalidBlockException.class, e -> assertThat(e.reason()).isEqualTo(c.reason()));
        }
        assertThatThrownBy(() -> verifier.verify("other", 3, block("chain/block_3.block")))
                .isInstanceOfSatisfying(InvalidBlockException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvalidBlockException.Reason.MALFORMED));
        assertThatThrownBy(() -> verifier.updateConfig(block("chain/block_3.block")))
                .isInstanceOfSatisfying(InvalidBlockException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvalidBlockException.Reason.BAD_CONFIG));
    }
}
