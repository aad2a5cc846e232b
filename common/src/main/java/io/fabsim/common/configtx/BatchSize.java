package io.fabsim.common.configtx;

/** {@code /Channel/Orderer/BatchSize}: when the orderer cuts a block (count and bytes). */
public record BatchSize(int maxMessageCount, int absoluteMaxBytes, int preferredMaxBytes) {
}
