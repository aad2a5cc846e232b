package io.fabsim.common.protoutil;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabsim.common.testing.FabricVectors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.junit.jupiter.api.Test;

class BlockHashingTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void headerBytesOfBlockZeroMatchFabricsDerEncoding() throws Exception {
        Block block = Block.parseFrom(FabricVectors.read(FabricVectors.chainBlock(0)));
        assertThat(HEX.formatHex(BlockHashing.headerBytes(block.getHeader())))
                .isEqualTo("302702010004000420ed47f5e649681098abecd006cac310a05efd7c6ea7a51842d637d160d454aecd");
    }

    @Test
    void everyChainBlockHasTheRecordedHashes() throws Exception {
        Path tsv = FabricVectors.dir().resolve("chain/headers.tsv");
        List<String> rows = Files.readAllLines(tsv).stream()
                .filter(line -> !line.isBlank() && Character.isDigit(line.charAt(0)))
                .toList();
        assertThat(rows).hasSize(15);
        for (String row : rows) {
            String[] cols = row.split("\t");
            int number = Integer.parseInt(cols[0]);
            Block block = Block.parseFrom(FabricVectors.read(FabricVectors.chainBlock(number)));
            assertThat(block.getHeader().getNumber()).isEqualTo(number);
            assertThat(HEX.formatHex(BlockHashing.dataHash(block.getData()))).as("data hash of %d", number).isEqualTo(cols[5]);
            assertThat(HEX.formatHex(BlockHashing.headerHash(block.getHeader()))).as("header hash of %d", number).isEqualTo(cols[7]);
        }
    }

    @Test
    void largeNumbersAreEncodedAsUnsignedIntegers() {
        BlockHeader header = BlockHeader.newBuilder().setNumber(-1L).build(); // 2^64 - 1
        byte[] bytes = BlockHashing.headerBytes(header);
        // SEQUENCE, INTEGER of 9 bytes: a leading zero keeps it positive.
        assertThat(HEX.formatHex(bytes)).startsWith("300f020900ffffffffffffffff");
    }
}
