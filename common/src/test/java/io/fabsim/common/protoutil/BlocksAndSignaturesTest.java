package io.fabsim.common.protoutil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.fabsim.common.crypto.Signer;
import io.fabsim.common.testing.VectorIdentities;
import java.util.HexFormat;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.OrdererBlockMetadata;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.junit.jupiter.api.Test;

class BlocksAndSignaturesTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void everyChainBlockHasTheRecordedKindChannelAndLastConfig() throws Exception {
        for (int n = 0; n <= 14; n++) {
            Block block = VectorFiles.block(n);
            assertThat(Blocks.isConfigBlock(block)).as("block %d", n).isEqualTo(n == 0 || n == 10);
            assertThat(Blocks.channelId(block)).isEqualTo("vectors");
            assertThat(Blocks.lastConfigIndex(block)).as("block %d", n).isEqualTo(n < 10 ? 0 : 10);
            assertThat(block.getMetadata().getMetadataCount()).isEqualTo(5);
            assertThat(Blocks.transactionsFilter(block)).hasSize(block.getData().getDataCount()).containsOnly(0);
        }
    }

    @Test
    void everyChainBlockSignatureIsFoundAndItsSignedBytesReconstruct() throws Exception {
        for (int n = 1; n <= 14; n++) {
            Block block = VectorFiles.block(n);
            List<SignedData> set = BlockSignatures.signedData(block);
            assertThat(set).as("block %d", n).hasSize(1);
            SignedData signed = set.get(0);
            assertThat(SerializedIdentity.parseFrom(signed.identity()).getMspid()).isEqualTo("OrdererMSP");
            assertThat(VectorIdentities.certificate(signed.identity()).getSubjectX500Principal().getName())
                    .contains("CN=orderer.example.com").contains("OU=orderer");
            assertThat(VectorIdentities.verifies(signed.identity(), signed.data(), signed.signature()))
                    .as("orderer signature of block %d", n).isTrue();
        }
    }

    @Test
    void theGenesisBlockIsUnsignedAndAlteredSignaturesFail() throws Exception {
        assertThat(BlockSignatures.signedData(VectorFiles.block(0))).isEmpty();
        assertThat(HEX.formatHex(Blocks.metadataSlot(VectorFiles.block(0), BlockMetadataIndex.SIGNATURES).toByteArray()))
                .isEqualTo("0a020a00")
                .isEqualTo(HEX.formatHex(BlockSignatures.genesisMetadata().toByteArray()));
        for (String name : List.of("block_3_orderer_signature_altered", "block_3_previous_hash_altered",
                "block_3_number_altered_to_4")) {
            SignedData signed = BlockSignatures.signedData(VectorFiles.negative(name)).get(0);
            assertThat(VectorIdentities.verifies(signed.identity(), signed.data(), signed.signature())).as(name).isFalse();
        }
    }

    @Test
    void blocksWeSignLookLikeFabricsAndVerify() throws Exception {
        Signer orderer = VectorIdentities.signer("OrdererMSP", VectorFiles.orderer());
        Block genuine = VectorFiles.block(11);
        Block fresh = Blocks.newBlock(11, genuine.getHeader().getPreviousHash(), genuine.getData().getDataList());
        assertThat(fresh.getHeader()).isEqualTo(genuine.getHeader());
        assertThat(fresh.getMetadata().getMetadataList()).hasSize(5).allMatch(ByteString::isEmpty);

        ByteString consenter = ByteString.copyFromUtf8("raft");
        Block signed = BlockSignatures.sign(fresh, 10, consenter, orderer);
        SignedData data = BlockSignatures.signedData(signed).get(0);
        assertThat(VectorIdentities.verifies(data.identity(), data.data(), data.signature())).isTrue();
        assertThat(data.identity().toByteArray()).isEqualTo(orderer.serializedIdentity());
        OrdererBlockMetadata value = BlockSignatures.ordererBlockMetadata(signed);
        assertThat(value.getLastConfig().getIndex()).isEqualTo(10);
        assertThat(Metadata.parseFrom(value.getConsenterMetadata()).getValue()).isEqualTo(consenter);
        Metadata metadata = BlockSignatures.signaturesMetadata(signed);
        assertThat(SignatureHeader.parseFrom(metadata.getSignatures(0).getSignatureHeader()).getNonce().size()).isEqualTo(24);
        assertThat(Blocks.metadataSlot(signed, BlockMetadataIndex.LAST_CONFIG)).isEmpty();
        assertThat(Blocks.lastConfigIndex(signed)).isEqualTo(10);

        Block config = VectorFiles.block(10);
        Block reSigned = BlockSignatures.sign(Blocks.newBlock(10, config.getHeader().getPreviousHash(),
                config.getData().getDataList()), 10, ByteString.EMPTY, orderer);
        assertThat(Blocks.metadataSlot(reSigned, BlockMetadataIndex.LAST_CONFIG))
                .isEqualTo(Blocks.metadataSlot(config, BlockMetadataIndex.LAST_CONFIG));
        assertThat(HEX.formatHex(Blocks.metadataSlot(reSigned, BlockMetadataIndex.LAST_CONFIG).toByteArray()))
                .isEqualTo("0a02080a");
    }

    @Test
    void transactionsFilterHelpers() throws Exception {
        Block block = VectorFiles.block(3);
        Block filtered = Blocks.withTransactionsFilter(block, new byte[] {0, 11, 0});
        assertThat(Blocks.transactionsFilter(filtered)).containsExactly(0, 11, 0);
        assertThat(filtered.getHeader()).isEqualTo(block.getHeader());
        assertThatThrownBy(() -> Blocks.withTransactionsFilter(block, new byte[2]))
                .hasMessageContaining("expected 3 codes, got 2");
    }

    @Test
    void malformedMetadataAndDataAreNamed() {
        Block empty = Block.getDefaultInstance();
        assertThatThrownBy(() -> BlockSignatures.signedData(empty)).isInstanceOf(EnvelopeException.class)
                .hasMessageContaining("metadata[SIGNATURES]: missing");
        assertThatThrownBy(() -> Blocks.channelId(empty)).isInstanceOf(EnvelopeException.class)
                .hasMessageContaining("expected at least one envelope");
        Block garbage = Blocks.withMetadataSlot(empty, BlockMetadataIndex.SIGNATURES, ByteString.copyFrom(new byte[] {(byte) 0xff}));
        assertThatThrownBy(() -> BlockSignatures.signedData(garbage)).isInstanceOf(EnvelopeException.class)
                .hasMessageContaining("not a common.Metadata");
        assertThat(Blocks.isConfigBlock(empty)).isFalse();
    }
}
