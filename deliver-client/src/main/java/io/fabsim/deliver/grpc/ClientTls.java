package io.fabsim.deliver.grpc;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/** The peer's TLS client key and certificate chain (leaf first), presented to orderers under mutual TLS. */
public record ClientTls(PrivateKey key, List<X509Certificate> chain) {

    public ClientTls {
        Objects.requireNonNull(key, "key");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("client TLS certificate chain is empty");
        }
    }
}
