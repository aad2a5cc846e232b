package io.fabsim.ledger;

import io.fabsim.common.config.ConfigReader;

/**
 * Settings of the file-backed block stores, read from {@code ledger.blockStore} (see the module's
 * {@code reference.conf}).
 *
 * @param maxBlockfileSize size in bytes at which a block file rolls over to the next one
 * @param fsync whether {@code append} forces each block to disk before returning; {@code false} is
 *     meant for benchmarks only
 */
public record LedgerConfig(long maxBlockfileSize, boolean fsync) {

    public static final String SECTION = "ledger.blockStore";
    public static final long DEFAULT_MAX_BLOCKFILE_SIZE = 64L * 1024 * 1024;
    public static final long MIN_BLOCKFILE_SIZE = 1024;
    public static final long MAX_BLOCKFILE_SIZE = 16L * 1024 * 1024 * 1024;

    public LedgerConfig {
        if (maxBlockfileSize < MIN_BLOCKFILE_SIZE || maxBlockfileSize > MAX_BLOCKFILE_SIZE) {
            throw new IllegalArgumentException("maxBlockfileSize: expected " + MIN_BLOCKFILE_SIZE + " to "
                    + MAX_BLOCKFILE_SIZE + " bytes, got " + maxBlockfileSize);
        }
    }

    /** Fabric's defaults: 64 MiB block files, fsync on. */
    public static LedgerConfig defaults() {
        return new LedgerConfig(DEFAULT_MAX_BLOCKFILE_SIZE, true);
    }

    /** Reads and validates {@code ledger.blockStore.*}; unknown keys in that section are refused. */
    public static LedgerConfig from(ConfigReader reader) {
        reader.rejectUnknownKeys(SECTION);
        long size = reader.bytesInRange(SECTION + ".maxBlockfileSize", MIN_BLOCKFILE_SIZE, MAX_BLOCKFILE_SIZE);
        boolean fsync = reader.bool(SECTION + ".fsync");
        return new LedgerConfig(size, fsync);
    }

    public LedgerConfig withMaxBlockfileSize(long bytes) {
        return new LedgerConfig(bytes, fsync);
    }

    public LedgerConfig withFsync(boolean on) {
        return new LedgerConfig(maxBlockfileSize, on);
    }
}
