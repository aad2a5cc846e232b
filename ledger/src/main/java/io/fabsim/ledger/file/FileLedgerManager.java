package io.fabsim.ledger.file;

import io.fabsim.ledger.BlockEnvelopes;
import io.fabsim.ledger.BlockStore;
import io.fabsim.ledger.LedgerConfig;
import io.fabsim.ledger.LedgerException;
import io.fabsim.ledger.LedgerManager;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.hyperledger.fabric.protos.common.Block;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledgers under one root directory, laid out as Fabric's orderer lays them out:
 * {@code <root>/chains/<channelId>/blockfile_000000 ...}. A ledger is created in a hidden temporary
 * directory and renamed into place once its genesis block is on disk, so a crash never leaves a
 * half-created ledger under its channel's name. Entries of {@code chains/} that are not ledgers are
 * skipped with a warning.
 */
public final class FileLedgerManager implements LedgerManager {

    private static final Logger LOG = LoggerFactory.getLogger(FileLedgerManager.class);
    static final String CHAINS = "chains";
    private static final String CREATING_PREFIX = ".creating-";

    private final Path chainsDir;
    private final LedgerConfig config;
    private final Map<String, FileBlockStore> open = new LinkedHashMap<>();
    private boolean closed;

    /**
     * @param root the ledger root: the orderer's {@code FileLedger.Location}, or a directory under the
     *     peer's {@code peer.fileSystemPath}; created if missing
     */
    public FileLedgerManager(Path root, LedgerConfig config) throws LedgerException {
        this.chainsDir = root.resolve(CHAINS);
        this.config = config;
        try {
            Files.createDirectories(chainsDir);
        } catch (IOException e) {
            throw new LedgerException("ledger root " + root + ": cannot create " + chainsDir + ": " + e, e);
        }
    }

    /** The directory holding the block files of {@code channelId}. */
    public Path ledgerDirectory(String channelId) {
        return chainsDir.resolve(channelId);
    }

    @Override
    public synchronized List<String> ledgerIds() throws LedgerException {
        List<String> ids = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(chainsDir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.startsWith(CREATING_PREFIX)) {
                    LOG.warn("ledger root {}: skipping {}: a ledger whose creation did not finish", chainsDir, entry);
                } else if (!BlockEnvelopes.isValidChannelId(name)) {
                    LOG.warn("ledger root {}: skipping {}: not a valid channel id", chainsDir, entry);
                } else if (!isLedger(entry)) {
                    LOG.warn("ledger root {}: skipping {}: not a ledger (no {} with a block in it)", chainsDir, entry,
                            BlockFiles.path(entry, 0).getFileName());
                } else {
                    ids.add(name);
                }
            }
        } catch (IOException e) {
            throw new LedgerException("ledger root " + chainsDir + ": cannot list ledgers: " + e, e);
        }
        ids.sort(Comparator.naturalOrder());
        return ids;
    }

    @Override
    public synchronized boolean exists(String channelId) {
        return BlockEnvelopes.isValidChannelId(channelId) && isLedger(ledgerDirectory(channelId));
    }

    @Override
    public synchronized BlockStore open(String channelId) throws LedgerException {
        ensureOpen();
        FileBlockStore store = open.get(channelId);
        if (store != null && !store.isClosed()) {
            return store;
        }
        if (!exists(channelId)) {
            throw new LedgerException("channel " + channelId + ": no ledger at " + ledgerDirectory(channelId));
        }
        store = FileBlockStore.open(ledgerDirectory(channelId), channelId, config);
        open.put(channelId, store);
        return store;
    }

    @Override
    public synchronized BlockStore create(Block genesisBlock) throws LedgerException {
        ensureOpen();
        String channelId = BlockEnvelopes.genesisChannelId(genesisBlock);
        Path target = ledgerDirectory(channelId);
        if (isLedger(target)) {
            throw new LedgerException("channel " + channelId + ": a ledger already exists at " + target);
        }
        if (Files.exists(target)) {
            throw new LedgerException("channel " + channelId + ": " + target
                    + " exists but is not a ledger (no block in " + BlockFiles.path(target, 0).getFileName()
                    + "); move it away to create the ledger");
        }
        Path staging = chainsDir.resolve(CREATING_PREFIX + channelId);
        try {
            deleteRecursively(staging);
            try (FileBlockStore fresh = FileBlockStore.open(staging, channelId, config)) {
                fresh.append(genesisBlock);
            }
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            if (config.fsync()) {
                BlockFiles.forceDirectory(chainsDir);
            }
        } catch (IOException e) {
            throw new LedgerException("channel " + channelId + ": cannot create the ledger at " + target + ": " + e, e);
        }
        LOG.info("channel {}: created ledger at {} from its genesis block", channelId, target);
        FileBlockStore store = FileBlockStore.open(target, channelId, config);
        open.put(channelId, store);
        return store;
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (FileBlockStore store : open.values()) {
            store.close();
        }
        open.clear();
    }

    private void ensureOpen() throws LedgerException {
        if (closed) {
            throw new LedgerException("ledger root " + chainsDir + ": the ledger manager is closed");
        }
    }

    private static boolean isLedger(Path dir) {
        Path first = BlockFiles.path(dir, 0);
        try {
            return Files.isDirectory(dir) && Files.isRegularFile(first) && Files.size(first) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
