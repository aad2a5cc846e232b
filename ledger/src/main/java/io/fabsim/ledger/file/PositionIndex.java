package io.fabsim.ledger.file;

import java.util.Arrays;

/**
 * Block number to (file number, offset, length), in memory. One writer appends; readers look up
 * numbers below the height the writer has published, so an entry is always written before readers
 * can ask for it. Entries are two longs: {@code fileNo << 40 | offset}, then the length.
 */
final class PositionIndex {

    private static final int OFFSET_BITS = 40;
    private static final long OFFSET_MASK = (1L << OFFSET_BITS) - 1;

    private volatile long[] entries = new long[2 * 1024];
    private int size;

    void add(int fileNo, long offset, int length) {
        long[] current = entries;
        if (2 * size + 2 > current.length) {
            current = Arrays.copyOf(current, current.length * 2);
            entries = current;
        }
        current[2 * size] = ((long) fileNo << OFFSET_BITS) | offset;
        current[2 * size + 1] = length;
        entries = current;
        size++;
    }

    int size() {
        return size;
    }

    int fileNo(long number) {
        return (int) (entries[Math.toIntExact(2 * number)] >>> OFFSET_BITS);
    }

    long offset(long number) {
        return entries[Math.toIntExact(2 * number)] & OFFSET_MASK;
    }

    int length(long number) {
        return (int) entries[Math.toIntExact(2 * number + 1)];
    }
}
