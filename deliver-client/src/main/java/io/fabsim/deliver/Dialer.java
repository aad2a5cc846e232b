package io.fabsim.deliver;

import java.time.Duration;
import java.util.Optional;

/**
 * Opens connections to orderers (Fabric's {@code blocksprovider.Dialer}). The gRPC adapter is
 * {@code io.fabsim.deliver.grpc.GrpcDialer}; unit tests use a fake.
 */
public interface Dialer {

    /**
     * Connects to {@code endpoint}, trusting its TLS root CAs, within {@code timeout}
     * ({@code peer.deliveryclient.connTimeout}).
     */
    OrdererConnection dial(OrdererEndpoint endpoint, Duration timeout) throws DeliverTransportException;

    /**
     * The SHA-256 of the DER client TLS certificate when mutual TLS is used, else empty. The deliver
     * client binds it into the SeekInfo channel header ({@code tls_cert_hash}) as Fabric does.
     */
    default Optional<byte[]> clientCertificateHash() {
        return Optional.empty();
    }
}
