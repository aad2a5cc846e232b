package io.fabsim.gossip;

import com.google.protobuf.ByteString;
import java.util.HexFormat;

/** PKI-IDs in log lines and errors: the first 16 hex digits. */
public final class Hex {

    private Hex() {
    }

    public static String short16(ByteString bytes) {
        String h = HexFormat.of().formatHex(bytes.toByteArray());
        return h.length() > 16 ? h.substring(0, 16) : h.isEmpty() ? "(empty)" : h;
    }
}
