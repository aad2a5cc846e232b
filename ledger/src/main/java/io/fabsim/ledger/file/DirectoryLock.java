package io.fabsim.ledger.file;

import io.fabsim.ledger.LedgerException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An exclusive lock on a block store's directory ({@code .lock}, an OS file lock), so that a second
 * store in this or another process cannot write the same files. The OS drops it when the process dies.
 */
final class DirectoryLock {

    static final String LOCK_FILE = ".lock";
    private static final Logger LOG = LoggerFactory.getLogger(DirectoryLock.class);

    private DirectoryLock() {
    }

    static FileLock acquire(Path dir, String channelId) throws IOException, LedgerException {
        FileChannel channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return lock;
            }
        } catch (OverlappingFileLockException e) {
            channel.close();
            throw new LedgerException("channel " + channelId + ": the block store in " + dir
                    + " is already open in this process");
        }
        channel.close();
        throw new LedgerException("channel " + channelId + ": the block store in " + dir
                + " is open in another process (it holds " + dir.resolve(LOCK_FILE) + ")");
    }

    static void release(FileLock lock) {
        if (lock == null) {
            return;
        }
        try {
            lock.channel().close();
        } catch (IOException e) {
            LOG.debug("releasing a block store lock failed", e);
        }
    }
}
