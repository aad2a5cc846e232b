package io.fabsim.common.configtx;

import com.google.protobuf.ByteString;
import io.fabsim.common.config.HostPort;
import java.util.List;

/**
 * An orderer address a deliver client may connect to, with the TLS CA certificates (PEM) that
 * may have issued the orderer's server certificate, and the org it belongs to (empty for a
 * global {@code OrdererAddresses} entry, which trusts every orderer org's TLS CAs).
 */
public record OrdererEndpoint(HostPort address, String mspId, List<ByteString> tlsRootCerts,
                              List<ByteString> tlsIntermediateCerts) {

    public OrdererEndpoint {
        tlsRootCerts = List.copyOf(tlsRootCerts);
        tlsIntermediateCerts = List.copyOf(tlsIntermediateCerts);
    }
}
