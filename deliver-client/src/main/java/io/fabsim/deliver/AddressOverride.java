package io.fabsim.deliver;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Objects;

/**
 * Fabric's {@code peer.deliveryclient.addressOverrides} entry: wherever a channel config names
 * orderer {@code from}, connect to {@code to} instead, trusting {@code caCerts} (PEM, read from
 * {@code caCertsFile}); with no CA file the endpoint keeps the CAs the channel config gives it.
 */
public record AddressOverride(String from, String to, List<ByteString> caCerts) {

    public AddressOverride {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        caCerts = List.copyOf(caCerts);
    }
}
