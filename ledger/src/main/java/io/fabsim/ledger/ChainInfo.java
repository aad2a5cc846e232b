package io.fabsim.ledger;

import java.util.HexFormat;

/**
 * What Fabric's {@code BlockchainInfo} reports: the height, the header hash of the last block and
 * the header hash of the one before it (empty arrays when there is no such block).
 */
public record ChainInfo(long height, byte[] currentBlockHash, byte[] previousBlockHash) {

    public ChainInfo {
        currentBlockHash = currentBlockHash.clone();
        previousBlockHash = previousBlockHash.clone();
    }

    @Override
    public byte[] currentBlockHash() {
        return currentBlockHash.clone();
    }

    @Override
    public byte[] previousBlockHash() {
        return previousBlockHash.clone();
    }

    public String currentBlockHashHex() {
        return HexFormat.of().formatHex(currentBlockHash);
    }

    public String previousBlockHashHex() {
        return HexFormat.of().formatHex(previousBlockHash);
    }

    @Override
    public String toString() {
        return "ChainInfo[height=" + height + ", current=" + currentBlockHashHex() + ", previous="
                + previousBlockHashHex() + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChainInfo other && height == other.height
                && java.util.Arrays.equals(currentBlockHash, other.currentBlockHash)
                && java.util.Arrays.equals(previousBlockHash, other.previousBlockHash);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(height) * 31 + java.util.Arrays.hashCode(currentBlockHash);
    }
}
