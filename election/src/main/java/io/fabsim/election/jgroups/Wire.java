package io.fabsim.election.jgroups;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.jgroups.Address;
import org.jgroups.util.Util;

/** The election's messages and their binary form (a type byte, then the fields). */
final class Wire {

    static final byte ANNOUNCE = 1;
    static final byte TABLE = 2;
    static final byte YIELD = 3;
    static final byte RESYNC = 4;
    static final byte CHECK = 5;
    static final byte CONFIRM = 6;

    private Wire() {
    }

    /** A member's self-description: sent on start, on every view change and when its channels change. */
    record Announcement(String name, Map<String, String> metadata, Map<String, Boolean> channels,
                        Map<String, Long> claims, long viewId) {
    }

    /** A channel's current leader and the epoch it was assigned in. */
    record Lease(Address leader, String leaderName, long epoch) {
    }

    /**
     * The coordinator's leadership table.
     *
     * @param epochs highest epoch ever assigned per channel (also for channels without a leader now)
     * @param cooldowns per channel, the yielders still cooling down and the milliseconds left
     */
    record Table(long version, Map<String, Lease> leases, Map<String, Long> epochs,
                 Map<String, Map<Address, Long>> cooldowns) {
    }

    record Yield(String channel, long epoch) {
    }

    /** A member that was frozen asks the others whether they still count it in their view. */
    record Check(long nonce) {
    }

    /** The answer of a member that counts the asker in its view {@code viewId}. */
    record Confirm(long nonce, String viewId) {
    }

    static byte[] encode(Check c) {
        return write(CHECK, out -> out.writeLong(c.nonce()));
    }

    static byte[] encode(Confirm c) {
        return write(CONFIRM, out -> {
            out.writeLong(c.nonce());
            out.writeUTF(c.viewId());
        });
    }

    static byte[] encode(Announcement a) {
        return write(ANNOUNCE, out -> {
            out.writeUTF(a.name());
            writeStrings(out, a.metadata());
            out.writeInt(a.channels().size());
            for (Map.Entry<String, Boolean> e : a.channels().entrySet()) {
                out.writeUTF(e.getKey());
                out.writeBoolean(e.getValue());
            }
            writeLongs(out, a.claims());
            out.writeLong(a.viewId());
        });
    }

    static byte[] encode(Table t) {
        return write(TABLE, out -> {
            out.writeLong(t.version());
            out.writeInt(t.leases().size());
            for (Map.Entry<String, Lease> e : t.leases().entrySet()) {
                out.writeUTF(e.getKey());
                Util.writeAddress(e.getValue().leader(), out);
                out.writeUTF(e.getValue().leaderName());
                out.writeLong(e.getValue().epoch());
            }
            writeLongs(out, t.epochs());
            out.writeInt(t.cooldowns().size());
            for (Map.Entry<String, Map<Address, Long>> e : t.cooldowns().entrySet()) {
                out.writeUTF(e.getKey());
                out.writeInt(e.getValue().size());
                for (Map.Entry<Address, Long> c : e.getValue().entrySet()) {
                    Util.writeAddress(c.getKey(), out);
                    out.writeLong(c.getValue());
                }
            }
        });
    }

    static byte[] encode(Yield y) {
        return write(YIELD, out -> {
            out.writeUTF(y.channel());
            out.writeLong(y.epoch());
        });
    }

    static byte[] resync() {
        return new byte[] {RESYNC};
    }

    /** Decodes a message: an {@link Announcement}, {@link Table}, {@link Yield}, {@link Check}, {@link Confirm} or the RESYNC type byte. */
    static Object decode(byte[] buf, int offset, int length) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(buf, offset, length));
        byte type = in.readByte();
        try {
            return switch (type) {
                case ANNOUNCE -> readAnnouncement(in);
                case TABLE -> readTable(in);
                case YIELD -> new Yield(in.readUTF(), in.readLong());
                case RESYNC -> RESYNC;
                case CHECK -> new Check(in.readLong());
                case CONFIRM -> new Confirm(in.readLong(), in.readUTF());
                default -> throw new IOException("unknown election message type " + type);
            };
        } catch (ClassNotFoundException e) {
            throw new IOException("election message type " + type + ": unreadable address", e);
        }
    }

    private static Announcement readAnnouncement(DataInput in) throws IOException {
        String name = in.readUTF();
        Map<String, String> metadata = readStrings(in);
        int n = in.readInt();
        Map<String, Boolean> channels = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            channels.put(in.readUTF(), in.readBoolean());
        }
        return new Announcement(name, metadata, channels, readLongs(in), in.readLong());
    }

    private static Table readTable(DataInput in) throws IOException, ClassNotFoundException {
        long version = in.readLong();
        int n = in.readInt();
        Map<String, Lease> leases = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            String channel = in.readUTF();
            leases.put(channel, new Lease(Util.readAddress(in), in.readUTF(), in.readLong()));
        }
        Map<String, Long> epochs = readLongs(in);
        int c = in.readInt();
        Map<String, Map<Address, Long>> cooldowns = new TreeMap<>();
        for (int i = 0; i < c; i++) {
            String channel = in.readUTF();
            int m = in.readInt();
            Map<Address, Long> yielders = new LinkedHashMap<>();
            for (int j = 0; j < m; j++) {
                yielders.put(Util.readAddress(in), in.readLong());
            }
            cooldowns.put(channel, yielders);
        }
        return new Table(version, leases, epochs, cooldowns);
    }

    private interface Body {
        void writeTo(DataOutput out) throws IOException;
    }

    private static byte[] write(byte type, Body body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(type);
            body.writeTo(out);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode election message type " + type, e);
        }
        return bytes.toByteArray();
    }

    private static void writeStrings(DataOutput out, Map<String, String> map) throws IOException {
        out.writeInt(map.size());
        for (Map.Entry<String, String> e : map.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeUTF(e.getValue());
        }
    }

    private static Map<String, String> readStrings(DataInput in) throws IOException {
        int n = in.readInt();
        Map<String, String> map = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            map.put(in.readUTF(), in.readUTF());
        }
        return map;
    }

    private static void writeLongs(DataOutput out, Map<String, Long> map) throws IOException {
        out.writeInt(map.size());
        for (Map.Entry<String, Long> e : map.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeLong(e.getValue());
        }
    }

    private static Map<String, Long> readLongs(DataInput in) throws IOException {
        int n = in.readInt();
        Map<String, Long> map = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            map.put(in.readUTF(), in.readLong());
        }
        return map;
    }
}
