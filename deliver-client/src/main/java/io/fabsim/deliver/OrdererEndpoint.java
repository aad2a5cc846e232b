package io.fabsim.deliver;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Objects;

/**
 * One orderer address ({@code host:port}) with the PEM TLS root (and intermediate) CA certificates
 * of its organization, as the channel config lists them.
 */
public record OrdererEndpoint(String address, List<ByteString> tlsRootCerts) {

    public OrdererEndpoint {
        Objects.requireNonNull(address, "address");
        tlsRootCerts = List.copyOf(tlsRootCerts);
    }

    @Override
    public String toString() {
        return address;
    }
}
