package io.fabsim.ledger.file;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Reads and checks block records with positional reads (safe from many threads at once). */
final class RecordReader {

    private static final int WINDOW = 1 << 20;

    /**
     * One record read at an offset: the block bytes when valid, else what is wrong. {@code next} is the
     * offset right after the record when its header is intact, else -1; {@code pastEnd} says an intact
     * header declares more bytes than the file holds (certainly a torn write).
     */
    record Outcome(byte[] block, String problem, long next, boolean pastEnd) {

        boolean valid() {
            return block != null;
        }

        static Outcome bad(String problem, long next, boolean pastEnd) {
            return new Outcome(null, problem, next, pastEnd);
        }
    }

    private RecordReader() {
    }

    static Outcome read(FileChannel channel, long offset, long size) throws IOException {
        if (size - offset < BlockRecord.HEADER_SIZE) {
            return Outcome.bad("incomplete record header (" + (size - offset) + " of " + BlockRecord.HEADER_SIZE
                    + " bytes)", -1, false);
        }
        ByteBuffer header = ByteBuffer.allocate(BlockRecord.HEADER_SIZE);
        readFully(channel, header, offset);
        int length = BlockRecord.declaredLength(header, 0);
        if (length < 0) {
            return Outcome.bad("record header checksum mismatch", -1, false);
        }
        long next = offset + BlockRecord.recordSize(length);
        if (next > size) {
            return Outcome.bad("incomplete record (header declares " + length + " block bytes, the file holds "
                    + (size - offset - BlockRecord.HEADER_SIZE) + ")", -1, true);
        }
        byte[] block = new byte[length];
        readFully(channel, ByteBuffer.wrap(block), offset + BlockRecord.HEADER_SIZE);
        if (BlockRecord.crc(block, 0, length) != BlockRecord.dataCrc(header, 0)) {
            return Outcome.bad("block checksum (CRC32C) mismatch in a record of " + length + " bytes", next, false);
        }
        return new Outcome(block, null, next, false);
    }

    /**
     * Whether any valid record starts after the damaged one at {@code offset}: first where its intact
     * header says the next one starts, then at every later byte offset (the header's own checksum makes
     * false hits negligible). Only called on a damaged record, so the byte-wise search is rare.
     */
    static boolean validRecordAfter(FileChannel channel, long offset, long size, Outcome damaged) throws IOException {
        if (damaged.pastEnd()) {
            return false;
        }
        if (damaged.next() >= 0 && damaged.next() < size && read(channel, damaged.next(), size).valid()) {
            return true;
        }
        ByteBuffer window = ByteBuffer.allocate(WINDOW);
        long windowStart = offset + 1;
        window.limit(0);
        for (long at = offset + 1; at + BlockRecord.HEADER_SIZE <= size; at++) {
            if (at + BlockRecord.HEADER_SIZE > windowStart + window.limit()) {
                windowStart = at;
                window.clear();
                window.limit((int) Math.min(WINDOW, size - at));
                readFully(channel, window, at);
                window.flip();
            }
            int length = BlockRecord.declaredLength(window, (int) (at - windowStart));
            if (length > 0 && at + BlockRecord.recordSize(length) <= size && read(channel, at, size).valid()) {
                return true;
            }
        }
        return false;
    }

    static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new EOFException("end of file at offset " + at + " while reading " + buffer.remaining()
                        + " more bytes");
            }
            at += n;
        }
    }
}
