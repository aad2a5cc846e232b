package io.fabsim.common.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.fabsim.common.configtx.ChannelConfig;
import io.fabsim.common.protoutil.BlockHashing;
import io.fabsim.common.testing.FabricVectors;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.Test;

class ChannelBlockVerifierTest {

    private static final String POLICY_FAILED = "implicit policy evaluation failed - 0 sub-policies were satisfied,"
            + " but this policy requires 1 of the 'Writers' sub-policies to be satisfied";

    static Block block(int n) throws Exception {
        return Block.parseFrom(FabricVectors.read(FabricVectors.chainBlock(n)));
    }

    static Block negative(String name) throws Exception {
        return Block.parseFrom(FabricVectors.read(FabricVectors.dir().resolve("negative/" + name + ".block")));
    }

    private static final java.util.Map<Integer, ChannelBlockVerifier> VERIFIERS = new java.util.concurrent.ConcurrentHashMap<>();

    /** One verifier per config block, shared by the tests (it is thread-safe and caches identities). */
    static ChannelBlockVerifier verifier(int configBlock) throws Exception {
        ChannelBlockVerifier cached = VERIFIERS.get(configBlock);
        if (cached == null) {
            cached = ChannelBlockVerifier.forConfig(ChannelConfig.fromBlock(block(configBlock)));
            VERIFIERS.put(configBlock, cached);
        }
        return cached;
    }

    @Test
    void everyGenuineBlockVerifiesAndLinksToItsPredecessor() throws Exception {
        ChannelBlockVerifier genesis = verifier(0);
        for (int n = 1; n <= 14; n++) {
            Block previous = block(n - 1);
            int number = n;
            assertThatCode(() -> genesis.verify(number, block(number), BlockHashing.headerHashBytes(previous.getHeader())))
                    .as("block %d", n).doesNotThrowAnyException();
        }
        ChannelBlockVerifier afterUpdate = verifier(10);
        assertThat(afterUpdate.configSequence()).isEqualTo(1);
        for (int n = 11; n <= 14; n++) {
            int number = n;
            assertThatCode(() -> afterUpdate.verify(number, block(number))).doesNotThrowAnyException();
        }
    }

    @Test
    void theGenesisBlockFailsTheSignatureCheck() throws Exception {
        Block genesis = block(0);
        ChannelBlockVerifier verifier = verifier(0);
        assertThatThrownBy(() -> verifier.verify(0, genesis))
                .isInstanceOf(BlockVerificationException.class).hasMessage(POLICY_FAILED);
    }

    @Test
    void negativeVectorsAreRejectedWithFabricsMessages() throws Exception {
        ChannelBlockVerifier verifier = verifier(0);
        ByteString hashOf2 = BlockHashing.headerHashBytes(block(2).getHeader());
        assertThatThrownBy(() -> verifier.verify(3, negative("block_3_tx_byte_changed"), hashOf2))
                .isInstanceOf(BlockVerificationException.class)
                .hasMessage("Header.DataHash is different from Hash(block.Data) for block with id [3] on channel [vectors]");
        assertThatThrownBy(() -> verifier.verify(3, negative("block_3_orderer_signature_altered"), hashOf2))
                .isInstanceOf(BlockVerificationException.class).hasMessage(POLICY_FAILED);
        assertThatThrownBy(() -> verifier.verify(3, negative("block_3_previous_hash_altered"), hashOf2))
                .isInstanceOf(BlockVerificationException.class).hasMessage(POLICY_FAILED);
        assertThatThrownBy(() -> verifier.verify(3, negative("block_3_number_altered_to_4"), hashOf2))
                .isInstanceOf(BlockVerificationException.class)
                .hasMessage("Claimed seqNum is [3] but actual seqNum inside block is [4]");
    }

    @Test
    void aBrokenHashLinkIsNamed() throws Exception {
        ChannelBlockVerifier verifier = verifier(0);
        ByteString wrong = BlockHashing.headerHashBytes(block(1).getHeader());
        assertThatThrownBy(() -> verifier.verify(3, block(3), wrong))
                .isInstanceOf(BlockVerificationException.class)
                .hasMessage("channel vectors: block 3: previous hash mismatch: expected "
                        + "35d1b961551dd30a3cfde7d2e2cfe94e295a11f4a1b80f9220145905664131c3 got "
                        + "4e0d4fafa48a9bbd5b161a8054b3fdda1e7887afe306c3c5d31abe171c4b2abd");
    }

    @Test
    void otherChannelsAndMissingMetadataAreRefused() throws Exception {
        ChannelBlockVerifier verifier = verifier(0);
        Block noMetadata = block(3).toBuilder().clearMetadata().build();
        assertThatThrownBy(() -> verifier.verify(3, noMetadata))
                .hasMessage("Block with id [3] on channel [vectors] does not have metadata. Block not valid.");
        Block noHeader = block(3).toBuilder().clearHeader().build();
        assertThatThrownBy(() -> verifier.verify(3, noHeader))
                .hasMessage("Invalid Block on channel [vectors]. Header must be different from nil.");
        Block noData = block(3).toBuilder().clearData().build();
        assertThatThrownBy(() -> verifier.verify(3, noData))
                .hasMessageStartingWith("Failed getting channel id from block with id [3] on channel [vectors]");
    }

    @Test
    void aBlockWeSignAsTheOrdererVerifiesAndOneSignedByAPeerDoesNot() throws Exception {
        ChannelBlockVerifier verifier = verifier(0);
        var crypto = FabricVectors.dir().resolve("crypto-config");
        var orderer = io.fabsim.common.msp.LocalMsp.loadSigningIdentity("OrdererMSP",
                crypto.resolve("ordererOrganizations/example.com/orderers/orderer.example.com/msp"));
        var peer = io.fabsim.common.msp.LocalMsp.loadSigningIdentity("Org1MSP",
                crypto.resolve("peerOrganizations/org1.example.com/peers/peer0.org1.example.com/msp"));
        Block genuine = block(4);
        Block fresh = io.fabsim.common.protoutil.Blocks.newBlock(4, genuine.getHeader().getPreviousHash(),
                genuine.getData().getDataList());
        Block signed = io.fabsim.common.protoutil.BlockSignatures.sign(fresh, 0, ByteString.EMPTY, orderer);
        assertThatCode(() -> verifier.verify(4, signed, BlockHashing.headerHashBytes(block(3).getHeader())))
                .doesNotThrowAnyException();
        Block byPeer = io.fabsim.common.protoutil.BlockSignatures.sign(fresh, 0, ByteString.EMPTY, peer);
        assertThatThrownBy(() -> verifier.verify(4, byPeer)).hasMessage(POLICY_FAILED);
    }
}
