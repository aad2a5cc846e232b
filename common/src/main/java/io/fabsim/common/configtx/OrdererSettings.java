package io.fabsim.common.configtx;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.Set;

/** The values of {@code /Channel/Orderer}: batch settings, consensus type, capabilities. */
record OrdererSettings(BatchSize batchSize, Duration batchTimeout, String consensusType,
                       ByteString consensusMetadata, Set<String> capabilities) {
}
