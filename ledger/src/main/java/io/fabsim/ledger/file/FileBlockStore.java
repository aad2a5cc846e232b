package io.fabsim.ledger.file;

import com.google.protobuf.InvalidProtocolBufferException;
import io.fabsim.common.protoutil.BlockHashing;
import io.fabsim.ledger.BlockEnvelopes;
import io.fabsim.ledger.BlockIterator;
import io.fabsim.ledger.BlockStore;
import io.fabsim.ledger.ChainInfo;
import io.fabsim.ledger.LedgerConfig;
import io.fabsim.ledger.LedgerException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.hyperledger.fabric.protos.common.Block;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blocks of one channel in append-only files {@code blockfile_NNNNNN} under one directory, one
 * record per block (see {@link BlockRecord}), rolling to the next file at
 * {@link LedgerConfig#maxBlockfileSize()}. Opening reads every record once: it verifies checksums,
 * numbers and the hash chain, drops a torn tail left by a crash and refuses corruption before the tail,
 * and rebuilds the in-memory indexes (block number to file and offset; transaction id to block number).
 * Reading a block is one positional read. One writer, many readers: a block becomes visible only after
 * it is fully written (and forced to disk unless fsync is off).
 */
public final class FileBlockStore implements BlockStore {

    private static final Logger LOG = LoggerFactory.getLogger(FileBlockStore.class);

    /** Height and the last two header hashes, replaced as a whole so readers see them consistently. */
    private record Tip(long height, byte[] currentHash, byte[] previousHash) {
    }

    private final Path dir;
    private final String channelId;
    private final LedgerConfig config;
    private final FileLock lock;
    private final PositionIndex index;
    private final Map<String, Long> txIndex;
    /** Up to this size a block is read with its header in one read and copied out; larger, in two reads. */
    private static final int SINGLE_READ_LIMIT = 64 * 1024;

    private final ReentrantLock writeLock = new ReentrantLock();
    private final RecordEncoder encoder = new RecordEncoder();
    private final ReentrantLock signalLock = new ReentrantLock();
    private final Condition committed = signalLock.newCondition();
    private volatile FileChannel[] channels;
    private volatile Tip tip;
    private volatile boolean closed;
    private volatile String writeFailure;
    private long writeOffset;

    private FileBlockStore(Path dir, String channelId, LedgerConfig config, FileLock lock,
                           BlockFileScanner.Result scan) throws IOException {
        this.dir = dir;
        this.channelId = channelId;
        this.config = config;
        this.lock = lock;
        this.index = scan.index();
        this.txIndex = scan.txIndex();
        this.channels = scan.channels().toArray(new FileChannel[0]);
        this.tip = new Tip(scan.height(), scan.currentHash(), scan.previousHash());
        this.writeOffset = channels[channels.length - 1].size();
    }

    /**
     * Opens (creating the directory and first file if needed) the block store of {@code channelId}
     * in {@code dir}, repairing a torn tail.
     *
     * @throws LedgerException when the files are corrupt before their tail or cannot be read
     */
    public static FileBlockStore open(Path dir, String channelId, LedgerConfig config) throws LedgerException {
        FileLock lock = null;
        try {
            Files.createDirectories(dir);
            lock = DirectoryLock.acquire(dir, channelId);
            if (!BlockFiles.hasFirstFile(dir)) {
                Files.createFile(BlockFiles.path(dir, 0));
                if (config.fsync()) {
                    BlockFiles.forceDirectory(dir);
                }
            }
            BlockFileScanner.Result scan = new BlockFileScanner(dir, channelId).scan();
            FileBlockStore store = new FileBlockStore(dir, channelId, config, lock, scan);
            LOG.info("channel {}: opened block store {}: height {}, {} block file(s), current block hash {}", channelId,
                    dir, scan.height(), scan.channels().size(), BlockFileScanner.hex(scan.currentHash()));
            return store;
        } catch (IOException e) {
            DirectoryLock.release(lock);
            throw new LedgerException("channel " + channelId + ": cannot open the block store in " + dir + ": " + e, e);
        } catch (LedgerException | RuntimeException e) {
            DirectoryLock.release(lock);
            throw e;
        }
    }

    @Override
    public String channelId() {
        return channelId;
    }

    public Path directory() {
        return dir;
    }

    @Override
    public void append(Block block) throws LedgerException {
        writeLock.lock();
        try {
            ensureWritable();
            Tip last = tip;
            checkLink(block, last);
            int length = block.getSerializedSize();
            if (length > BlockRecord.MAX_LENGTH) {
                throw new LedgerException("channel " + channelId + ": block " + last.height() + ": " + length
                        + " bytes is more than a record can hold (" + BlockRecord.MAX_LENGTH + ")");
            }
            write(last.height(), block, length);
            for (String txId : BlockEnvelopes.txIds(block)) {
                txIndex.putIfAbsent(txId, last.height());
            }
            publish(new Tip(last.height() + 1, BlockHashing.headerHash(block.getHeader()), last.currentHash()));
            LOG.debug("channel {}: appended block {} ({} bytes)", channelId, last.height(), length);
        } finally {
            writeLock.unlock();
        }
    }

    private void checkLink(Block block, Tip last) throws LedgerException {
        long number = block.getHeader().getNumber();
        if (number != last.height()) {
            throw new LedgerException("channel " + channelId + ": block number should have been " + last.height()
                    + " but was " + number);
        }
        byte[] previous = block.getHeader().getPreviousHash().toByteArray();
        if (last.height() > 0 && !Arrays.equals(previous, last.currentHash())) {
            throw new LedgerException("channel " + channelId + ": block " + number + ": previous hash mismatch: expected "
                    + BlockFileScanner.hex(last.currentHash()) + " got " + BlockFileScanner.hex(previous));
        }
    }

    private void write(long number, Block block, int length) throws LedgerException {
        long recordSize = BlockRecord.recordSize(length);
        try {
            if (writeOffset > 0 && writeOffset + recordSize > config.maxBlockfileSize()) {
                roll();
            }
            FileChannel channel = channels[channels.length - 1];
            ByteBuffer record = encoder.encode(block, length);
            long at = writeOffset;
            while (record.hasRemaining()) {
                at += channel.write(record, at);
            }
            if (config.fsync()) {
                channel.force(false);
            }
        } catch (IOException e) {
            FileChannel[] files = channels;
            undoPartialWrite(files[files.length - 1]);
            throw new LedgerException("channel " + channelId + ": block " + number + ": writing "
                    + BlockFiles.path(dir, files.length - 1) + " at offset " + writeOffset + " failed: " + e, e);
        }
        index.add(channels.length - 1, writeOffset, length);
        writeOffset += recordSize;
    }

    /** Starts the next block file; once it exists it is the write file, even if syncing its directory fails. */
    private void roll() throws IOException {
        FileChannel[] files = channels;
        Path next = BlockFiles.path(dir, files.length);
        FileChannel channel = FileChannel.open(next, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileChannel[] rolled = Arrays.copyOf(files, files.length + 1);
        rolled[files.length] = channel;
        channels = rolled;
        writeOffset = 0;
        if (config.fsync()) {
            BlockFiles.forceDirectory(dir);
        }
        LOG.info("channel {}: rolled over to block file {}", channelId, next);
    }

    private void undoPartialWrite(FileChannel channel) {
        try {
            channel.truncate(writeOffset);
        } catch (IOException e) {
            writeFailure = "a failed write could not be undone (" + e + "); reopen the store to repair its tail";
        }
    }

    private void ensureWritable() throws LedgerException {
        if (closed) {
            throw closedException();
        }
        if (writeFailure != null) {
            throw new LedgerException("channel " + channelId + ": " + writeFailure);
        }
    }

    private void publish(Tip next) {
        signalLock.lock();
        try {
            tip = next;
            committed.signalAll();
        } finally {
            signalLock.unlock();
        }
    }

    @Override
    public long height() {
        return tip.height();
    }

    @Override
    public ChainInfo info() {
        Tip t = tip;
        return new ChainInfo(t.height(), t.currentHash(), t.previousHash());
    }

    @Override
    public Block block(long number) throws LedgerException {
        byte[] record = readRecord(locate(number));
        try {
            return BlockRecord.parse(record, BlockRecord.HEADER_SIZE, record.length - BlockRecord.HEADER_SIZE);
        } catch (InvalidProtocolBufferException e) {
            throw new LedgerException("channel " + channelId + ": block " + number + " does not parse: " + e, e);
        }
    }

    @Override
    public byte[] blockBytes(long number) throws LedgerException {
        Location at = locate(number);
        if (at.length() <= SINGLE_READ_LIMIT) {
            byte[] record = readRecord(at);
            return Arrays.copyOfRange(record, BlockRecord.HEADER_SIZE, record.length);
        }
        byte[] header = new byte[BlockRecord.HEADER_SIZE];
        byte[] block = new byte[at.length()];
        read(at, ByteBuffer.wrap(header), 0);
        read(at, ByteBuffer.wrap(block), BlockRecord.HEADER_SIZE);
        verify(at, ByteBuffer.wrap(header), block, 0);
        return block;
    }

    /** One positional read of the record (header and block), checksum verified. */
    private byte[] readRecord(Location at) throws LedgerException {
        byte[] record = new byte[BlockRecord.HEADER_SIZE + at.length()];
        read(at, ByteBuffer.wrap(record), 0);
        verify(at, ByteBuffer.wrap(record, 0, BlockRecord.HEADER_SIZE), record, BlockRecord.HEADER_SIZE);
        return record;
    }

    /** Where block {@code number}'s record is. */
    private record Location(long number, int fileNo, long offset, int length) {
    }

    private Location locate(long number) throws LedgerException {
        if (closed) {
            throw closedException();
        }
        long height = tip.height();
        if (number < 0 || number >= height) {
            throw new LedgerException("channel " + channelId + ": block " + number + " not found: height is " + height);
        }
        return new Location(number, index.fileNo(number), index.offset(number), index.length(number));
    }

    private void read(Location at, ByteBuffer into, long skip) throws LedgerException {
        try {
            RecordReader.readFully(channels[at.fileNo()], into, at.offset() + skip);
        } catch (IOException e) {
            throw closed ? closedException() : new LedgerException("channel " + channelId + ": block " + at.number()
                    + ": reading " + BlockFiles.path(dir, at.fileNo()) + " at offset " + at.offset() + " failed: " + e, e);
        }
    }

    private void verify(Location at, ByteBuffer header, byte[] bytes, int blockOffset) throws LedgerException {
        if (BlockRecord.declaredLength(header, 0) != at.length()
                || BlockRecord.crc(bytes, blockOffset, at.length()) != BlockRecord.dataCrc(header, 0)) {
            throw new LedgerException("channel " + channelId + ": block " + at.number() + ": checksum mismatch in "
                    + BlockFiles.path(dir, at.fileNo()) + " at offset " + at.offset() + " (the file changed after open)");
        }
    }

    @Override
    public BlockIterator iterator(long startNumber) throws LedgerException {
        if (closed) {
            throw closedException();
        }
        long height = tip.height();
        if (startNumber < 0 || startNumber > height) {
            throw new LedgerException("channel " + channelId + ": cannot iterate from block " + startNumber
                    + ": height is " + height);
        }
        return new FileBlockIterator(this, startNumber);
    }

    @Override
    public Optional<Long> blockNumberOfTx(String txId) throws LedgerException {
        if (closed) {
            throw closedException();
        }
        return Optional.ofNullable(txIndex.get(txId));
    }

    /**
     * Waits until block {@code number} is committed or {@code stop} says to give up.
     *
     * @return whether the block is committed
     */
    boolean awaitHeightAbove(long number, java.util.function.BooleanSupplier stop) throws InterruptedException {
        signalLock.lock();
        try {
            while (tip.height() <= number && !closed && !stop.getAsBoolean()) {
                committed.await();
            }
            return tip.height() > number && !closed && !stop.getAsBoolean();
        } finally {
            signalLock.unlock();
        }
    }

    /** Wakes every thread waiting for a commit (an iterator was closed). */
    void wakeWaiters() {
        signalLock.lock();
        try {
            committed.signalAll();
        } finally {
            signalLock.unlock();
        }
    }

    boolean isClosed() {
        return closed;
    }

    LedgerException closedException() {
        return new LedgerException("channel " + channelId + ": block store " + dir + " is closed");
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        wakeWaiters();
        writeLock.lock();
        try {
            BlockFileScanner.closeAll(new ArrayList<>(List.of(channels)));
            DirectoryLock.release(lock);
            LOG.info("channel {}: closed block store at height {}", channelId, tip.height());
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public String toString() {
        return "FileBlockStore[" + channelId + " at " + dir + ", height " + tip.height() + "]";
    }
}
