package io.fabsim.ledger.file;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;
import org.hyperledger.fabric.protos.common.Block;

/**
 * The on-disk record of one block: a 12-byte header, then the block's protobuf bytes.
 *
 * <pre>
 *   int32 length      number of block bytes that follow the header (big-endian, &gt; 0)
 *   int32 dataCrc     CRC32C of the block bytes
 *   int32 headerCrc   CRC32C of the 8 bytes above, so a damaged length is told from a damaged block
 *   byte[length]      the serialized common.Block
 * </pre>
 */
final class BlockRecord {

    static final int HEADER_SIZE = 12;
    static final int MAX_LENGTH = Integer.MAX_VALUE - HEADER_SIZE - 8;

    private BlockRecord() {
    }

    /** The header for these block bytes, ready to write (position 0, limit 12). */
    static ByteBuffer header(byte[] block) {
        int dataCrc = crc(block, 0, block.length);
        ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE);
        header.putInt(block.length).putInt(dataCrc).putInt(headerCrc(block.length, dataCrc));
        return header.flip();
    }

    static int crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    static int headerCrc(int length, int dataCrc) {
        CRC32C crc = new CRC32C();
        crc.update(ByteBuffer.allocate(8).putInt(length).putInt(dataCrc).flip());
        return (int) crc.getValue();
    }

    /** The block length a header declares, or -1 when the header's own checksum does not match. */
    static int declaredLength(ByteBuffer header, int at) {
        int length = header.getInt(at);
        int dataCrc = header.getInt(at + 4);
        int headerCrc = header.getInt(at + 8);
        if (length <= 0 || length > MAX_LENGTH || headerCrc != headerCrc(length, dataCrc)) {
            return -1;
        }
        return length;
    }

    static int dataCrc(ByteBuffer header, int at) {
        return header.getInt(at + 4);
    }

    /**
     * Parses a block from {@code bytes} without copying its data entries: the block's byte strings
     * share the array, which the caller must never change afterwards (arrays here are fresh per read).
     */
    static Block parse(byte[] bytes, int offset, int length) throws InvalidProtocolBufferException {
        CodedInputStream in = UnsafeByteOperations.unsafeWrap(bytes, offset, length).newCodedInput();
        in.enableAliasing(true);
        try {
            Block block = Block.parseFrom(in);
            in.checkLastTagWas(0);
            return block;
        } catch (InvalidProtocolBufferException e) {
            throw e;
        } catch (IOException e) {
            throw new InvalidProtocolBufferException(e);
        }
    }

    static long recordSize(int length) {
        return HEADER_SIZE + (long) length;
    }
}
