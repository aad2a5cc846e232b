package io.fabsim.ledger.file;

import com.google.protobuf.InvalidProtocolBufferException;
import io.fabsim.common.protoutil.BlockHashing;
import io.fabsim.ledger.BlockEnvelopes;
import io.fabsim.ledger.LedgerException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hyperledger.fabric.protos.common.Block;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every record of a channel's block files at open: checks each checksum, the block numbers
 * and the hash chain, and rebuilds the position and transaction-id indexes. A damaged record with
 * nothing valid after it (in its file or any later one) is a torn tail from a crash: the file is
 * truncated there. A damaged record followed by valid data is corruption: the open is refused with
 * the file and offset.
 */
final class BlockFileScanner {

    private static final Logger LOG = LoggerFactory.getLogger(BlockFileScanner.class);

    /** What the scan found; the channels are open (read and write) and now belong to the caller. */
    record Result(List<FileChannel> channels, PositionIndex index, Map<String, Long> txIndex, long height,
                  byte[] currentHash, byte[] previousHash) {
    }

    private final Path dir;
    private final String channelId;
    private final PositionIndex index = new PositionIndex();
    private final Map<String, Long> txIndex = new ConcurrentHashMap<>();
    private long height;
    private byte[] currentHash = new byte[0];
    private byte[] previousHash = new byte[0];

    BlockFileScanner(Path dir, String channelId) {
        this.dir = dir;
        this.channelId = channelId;
    }

    Result scan() throws IOException, LedgerException {
        List<Path> files = BlockFiles.list(dir, channelId);
        List<FileChannel> channels = new ArrayList<>(files.size());
        try {
            for (Path file : files) {
                channels.add(FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE));
            }
            for (int fileNo = 0; fileNo < files.size(); fileNo++) {
                scanFile(files, channels, fileNo);
            }
        } catch (IOException | LedgerException | RuntimeException e) {
            closeAll(channels);
            throw e;
        }
        return new Result(channels, index, txIndex, height, currentHash, previousHash);
    }

    private void scanFile(List<Path> files, List<FileChannel> channels, int fileNo) throws IOException, LedgerException {
        FileChannel channel = channels.get(fileNo);
        long size = channel.size();
        long offset = 0;
        while (offset < size) {
            RecordReader.Outcome outcome = RecordReader.read(channel, offset, size);
            if (outcome.valid()) {
                accept(outcome.block(), files.get(fileNo), fileNo, offset);
                offset += BlockRecord.recordSize(outcome.block().length);
                continue;
            }
            if (laterFilesEmpty(channels, fileNo) && !RecordReader.validRecordAfter(channel, offset, size, outcome)) {
                LOG.warn("channel {}: dropping the torn tail of {} at offset {} ({} bytes): {}", channelId,
                        files.get(fileNo), offset, size - offset, outcome.problem());
                channel.truncate(offset);
                channel.force(true);
                return;
            }
            throw new LedgerException("channel " + channelId + ": corrupt block file " + files.get(fileNo) + " at offset "
                    + offset + ": " + outcome.problem() + "; valid data follows, so this is not a torn tail from a "
                    + "crash: refusing to open (restore this ledger's directory from a backup)");
        }
    }

    private void accept(byte[] bytes, Path file, int fileNo, long offset) throws LedgerException {
        Block block;
        try {
            block = BlockRecord.parse(bytes, 0, bytes.length);
        } catch (InvalidProtocolBufferException e) {
            throw corrupt(file, offset, "the record's checksum matches but it does not parse as a block: " + e.getMessage());
        }
        long number = block.getHeader().getNumber();
        if (number != height) {
            throw corrupt(file, offset, "expected block " + height + ", found block " + number);
        }
        byte[] previous = block.getHeader().getPreviousHash().toByteArray();
        if (height > 0 && !Arrays.equals(previous, currentHash)) {
            throw corrupt(file, offset, "block " + number + ": previous hash mismatch: expected "
                    + hex(currentHash) + " got " + hex(previous));
        }
        index.add(fileNo, offset, bytes.length);
        for (String txId : BlockEnvelopes.txIds(block)) {
            txIndex.putIfAbsent(txId, number);
        }
        previousHash = currentHash;
        currentHash = BlockHashing.headerHash(block.getHeader());
        height++;
    }

    private LedgerException corrupt(Path file, long offset, String problem) {
        return new LedgerException("channel " + channelId + ": corrupt block file " + file + " at offset " + offset
                + ": " + problem + ": refusing to open");
    }

    private static boolean laterFilesEmpty(List<FileChannel> channels, int fileNo) throws IOException {
        for (int i = fileNo + 1; i < channels.size(); i++) {
            if (channels.get(i).size() > 0) {
                return false;
            }
        }
        return true;
    }

    static void closeAll(List<FileChannel> channels) {
        for (FileChannel channel : channels) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("closing a block file failed", e);
            }
        }
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
