package io.fabsim.gossip;

import com.google.protobuf.ByteString;
import org.hyperledger.fabric.protos.gossip.Envelope;

/** An authenticated org peer this peer is connected to, as the transport presents it. */
public interface RemotePeer {

    /** Fabric's PKI-ID: SHA-256 of the peer's MSP id followed by its certificate bytes. */
    ByteString pkiId();

    /** Its serialized identity ({@code msp.SerializedIdentity}), as presented in the handshake. */
    byte[] identity();

    /** A name for log lines (the certificate's common name). */
    String name();

    /**
     * Queues a message to the peer without waiting; false when the peer's send queue is full or the
     * connection is gone (the message is dropped: a slow peer never holds up the others).
     */
    boolean send(Envelope envelope);
}
