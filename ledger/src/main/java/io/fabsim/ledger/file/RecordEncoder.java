package io.fabsim.ledger.file;

import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;
import org.hyperledger.fabric.protos.common.Block;

/**
 * Serializes a block straight into a reusable direct buffer behind room for its record header, so the
 * block's bytes are copied once (a heap array would be copied again into a temporary direct buffer by
 * the JDK on write). Used by the single writer of a store only.
 */
final class RecordEncoder {

    private static final int INITIAL = 64 * 1024;
    private static final int KEEP_AT_MOST = 16 * 1024 * 1024;

    private ByteBuffer buffer = ByteBuffer.allocateDirect(INITIAL);

    /** The whole record of {@code block} (header and bytes), positioned to be written. */
    ByteBuffer encode(Block block, int length) throws IOException {
        int recordSize = BlockRecord.HEADER_SIZE + length;
        if (buffer.capacity() < recordSize || (buffer.capacity() > KEEP_AT_MOST && recordSize <= KEEP_AT_MOST)) {
            buffer = ByteBuffer.allocateDirect(Math.max(INITIAL, recordSize));
        }
        buffer.clear().position(BlockRecord.HEADER_SIZE).limit(recordSize);
        CodedOutputStream out = CodedOutputStream.newInstance(buffer);
        block.writeTo(out);
        out.flush();
        out.checkNoSpaceLeft();
        CRC32C crc = new CRC32C();
        crc.update(buffer.duplicate().position(BlockRecord.HEADER_SIZE).limit(recordSize));
        int dataCrc = (int) crc.getValue();
        buffer.putInt(0, length).putInt(4, dataCrc).putInt(8, BlockRecord.headerCrc(length, dataCrc));
        return buffer.position(0).limit(recordSize);
    }
}
