package io.fabsim.ledger.file;

import io.fabsim.ledger.LedgerException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Names and lists a channel's block files: {@code blockfile_000000}, {@code blockfile_000001}, ... */
final class BlockFiles {

    static final String PREFIX = "blockfile_";
    private static final Pattern NAME = Pattern.compile(PREFIX + "(\\d{6,9})");

    private BlockFiles() {
    }

    static Path path(Path dir, int fileNo) {
        return dir.resolve(String.format("%s%06d", PREFIX, fileNo));
    }

    static boolean hasFirstFile(Path dir) {
        return Files.isRegularFile(path(dir, 0));
    }

    /** The block files of {@code dir} in order; refused when a number in the sequence is missing. */
    static List<Path> list(Path dir, String channelId) throws IOException, LedgerException {
        TreeMap<Integer, Path> byNumber = new TreeMap<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, PREFIX + "*")) {
            for (Path p : stream) {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches() && Files.isRegularFile(p)) {
                    byNumber.put(Integer.parseInt(m.group(1)), p);
                }
            }
        }
        List<Path> files = new ArrayList<>(byNumber.values());
        int expected = 0;
        for (int number : byNumber.keySet()) {
            if (number != expected) {
                throw new LedgerException("channel " + channelId + ": block file " + path(dir, expected)
                        + " is missing (found " + byNumber.get(number).getFileName() + " after it): refusing to open");
            }
            expected++;
        }
        return files;
    }

    /** Makes a created or renamed entry of {@code dir} durable (fsync of the directory). */
    static void forceDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
