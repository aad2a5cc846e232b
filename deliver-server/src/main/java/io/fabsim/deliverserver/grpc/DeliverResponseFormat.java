package io.fabsim.deliverserver.grpc;

import java.util.Objects;
import java.util.function.Function;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;

/**
 * What differs between the Deliver services that share {@link DeliverService}'s stream handling:
 * the response message type {@code R}, how a block and a final status become a response, and
 * Fabric's metric labels {@code filtered} and {@code data_type} of the stream.
 */
public record DeliverResponseFormat<R>(Function<Block, R> block, Function<Status, R> status, boolean filtered,
        String dataType) {

    /** The orderer's {@code AtomicBroadcast/Deliver}: full blocks in {@code orderer.DeliverResponse}. */
    public static final DeliverResponseFormat<DeliverResponse> ORDERER = new DeliverResponseFormat<>(
            block -> DeliverResponse.newBuilder().setBlock(block).build(),
            status -> DeliverResponse.newBuilder().setStatus(status).build(),
            false, "block");

    public DeliverResponseFormat {
        Objects.requireNonNull(block, "block");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(dataType, "dataType");
    }
}
