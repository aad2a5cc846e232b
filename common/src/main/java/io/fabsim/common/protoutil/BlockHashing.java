package io.fabsim.common.protoutil;

import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;

/**
 * Fabric's block hashing rules ({@code protoutil.BlockHeaderBytes}, {@code BlockHeaderHash},
 * {@code BlockDataHash}).
 *
 * <ul>
 *   <li>header bytes = DER of {@code SEQUENCE { INTEGER number, OCTET STRING previous_hash,
 *       OCTET STRING data_hash }}, the number as an unsigned minimal two's-complement integer;</li>
 *   <li>header hash = SHA-256 of the header bytes;</li>
 *   <li>data hash = SHA-256 of the data entries concatenated with nothing between them.</li>
 * </ul>
 */
public final class BlockHashing {

    private BlockHashing() {
    }

    public static byte[] headerBytes(BlockHeader header) {
        byte[] number = new BigInteger(Long.toUnsignedString(header.getNumber())).toByteArray();
        ByteArrayOutputStream body = new ByteArrayOutputStream(80);
        writeTlv(body, 0x02, number);
        writeTlv(body, 0x04, header.getPreviousHash().toByteArray());
        writeTlv(body, 0x04, header.getDataHash().toByteArray());
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.size() + 4);
        writeTlv(out, 0x30, body.toByteArray());
        return out.toByteArray();
    }

    public static byte[] headerHash(BlockHeader header) {
        return sha256(headerBytes(header));
    }

    public static ByteString headerHashBytes(BlockHeader header) {
        return ByteString.copyFrom(headerHash(header));
    }

    public static byte[] dataHash(BlockData data) {
        MessageDigest digest = newSha256();
        for (ByteString entry : data.getDataList()) {
            digest.update(entry.asReadOnlyByteBuffer());
        }
        return digest.digest();
    }

    public static byte[] sha256(byte[] bytes) {
        return newSha256().digest(bytes);
    }

    /** The JDK's SHA-256 (several times faster than BouncyCastle's on this JVM). */
    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    private static void writeTlv(ByteArrayOutputStream out, int tag, byte[] value) {
        out.write(tag);
        int length = value.length;
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else {
            out.write(0x82);
            out.write(length >>> 8);
            out.write(length & 0xff);
        }
        out.write(value, 0, value.length);
    }
}
