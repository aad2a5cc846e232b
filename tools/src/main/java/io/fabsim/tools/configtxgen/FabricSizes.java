package io.fabsim.tools.configtxgen;

import io.fabsim.common.config.ConfigException;
import io.fabsim.common.config.ConfigReader;
import java.util.Locale;

/**
 * Byte sizes as configtx.yaml writes them: a number of bytes, or {@code <n> KB|MB|GB} where, as
 * in Fabric's configtxgen, the units are powers of 1024 ({@code 99 MB} = 103809024).
 */
final class FabricSizes {

    private FabricSizes() {
    }

    static long bytes(ConfigReader reader, String path) {
        String text = reader.nonEmptyString(path).trim();
        long value;
        try {
            value = parse(text);
        } catch (NumberFormatException e) {
            throw new ConfigException(path, "expected a size such as 524288, 512 KB or 99 MB (1 KB = 1024 bytes), got \"" + text + "\"");
        }
        if (value < 1 || value > Integer.MAX_VALUE) {
            throw new ConfigException(path, "expected a size from 1 byte to " + Integer.MAX_VALUE + " bytes, got " + value);
        }
        return value;
    }

    static long parse(String text) {
        String s = text.toUpperCase(Locale.ROOT).replace(" ", "");
        long multiplier = 1;
        if (s.endsWith("KB")) {
            multiplier = 1L << 10;
        } else if (s.endsWith("MB")) {
            multiplier = 1L << 20;
        } else if (s.endsWith("GB")) {
            multiplier = 1L << 30;
        }
        String number = multiplier == 1 ? s : s.substring(0, s.length() - 2);
        return Math.multiplyExact(Long.parseLong(number), multiplier);
    }
}
