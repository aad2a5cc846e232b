package io.fabsim.deliver;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The orderer endpoints a channel config defines: the global {@code OrdererAddresses} value and,
 * per orderer organization, its {@code Endpoints} and TLS root CAs. As in Fabric, org endpoints
 * win when any org lists one; otherwise the global addresses are used, trusting every org's CAs.
 */
public record OrdererAddresses(List<String> globalAddresses, Map<String, Org> orgs) {

    /** One orderer organization's endpoints and TLS root (and intermediate) CA certificates (PEM). */
    public record Org(List<String> addresses, List<ByteString> tlsRootCerts) {
        public Org {
            addresses = List.copyOf(addresses);
            tlsRootCerts = List.copyOf(tlsRootCerts);
        }
    }

    public OrdererAddresses {
        globalAddresses = List.copyOf(globalAddresses);
        orgs = java.util.Collections.unmodifiableMap(new TreeMap<>(orgs));
    }

    /** Global addresses only, with the given CAs (no org endpoints). */
    public static OrdererAddresses global(List<String> addresses, List<ByteString> tlsRootCerts) {
        return new OrdererAddresses(addresses, Map.of("orderers", new Org(List.of(), tlsRootCerts)));
    }
}
