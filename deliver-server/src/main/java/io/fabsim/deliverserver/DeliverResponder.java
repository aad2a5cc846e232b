package io.fabsim.deliverserver;

import java.util.Optional;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Status;

/**
 * The transport side of one Deliver stream (Fabric's {@code ResponseSender} plus what the handler
 * reads from the stream's context). The gRPC adapter implements it for the orderer's
 * {@code AtomicBroadcast/Deliver}; the peer implements it for {@code protos.Deliver}.
 */
public interface DeliverResponder {

    /** Sends one block, waiting for the transport to accept it (flow control). */
    void sendBlock(Block block) throws DeliverAbortedException;

    /** Sends the final status of one request. */
    void sendStatus(Status status) throws DeliverAbortedException;

    /**
     * SHA-256 of the DER of the certificate the client presented in the TLS handshake; empty when
     * it presented none (plaintext or server-only TLS).
     */
    Optional<byte[]> clientCertHash();

    /** The client's address, for logs. */
    String remoteAddress();

    /** Fabric's {@code filtered} metric label: whether this stream sends filtered blocks. */
    default boolean filtered() {
        return false;
    }

    /** Fabric's {@code data_type} metric label: {@code block}, {@code filtered_block}, {@code block_and_pvtdata}. */
    default String dataType() {
        return "block";
    }

    /** True once the client cancelled the stream (or it broke). */
    boolean isCancelled();

    /**
     * Sets the action to run when the client cancels (replacing the previous one; null clears it).
     * Runs it at once when the stream is already cancelled.
     */
    void onCancel(Runnable action);
}
