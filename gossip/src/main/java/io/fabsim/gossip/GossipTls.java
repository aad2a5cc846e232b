package io.fabsim.gossip;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * TLS material of the gossip endpoint: this peer's TLS key and certificate chain (used as server
 * and as client certificate, as Fabric peers do), the TLS root CAs of the org, and whether inbound
 * connections must present a client certificate (mutual TLS, Fabric's {@code peer.tls.clientAuthRequired}).
 */
public record GossipTls(PrivateKey key, List<X509Certificate> certChain, List<X509Certificate> trustedRoots,
        boolean clientAuthRequired) {

    public GossipTls {
        certChain = List.copyOf(certChain);
        trustedRoots = List.copyOf(trustedRoots);
        if (certChain.isEmpty()) {
            throw new IllegalArgumentException("gossip TLS: the certificate chain is empty");
        }
        if (trustedRoots.isEmpty()) {
            throw new IllegalArgumentException("gossip TLS: no trusted root certificate");
        }
    }

    /** From the peer's TLS folder material ({@code peer.tls.*}); roots: the TLS CAs of the org (or channel). */
    public static GossipTls from(io.fabsim.common.tls.TlsMaterial material, boolean clientAuthRequired) {
        return new GossipTls(material.privateKey(), List.of(material.certificate()), material.rootCas(),
                clientAuthRequired);
    }

    public X509Certificate certificate() {
        return certChain.get(0);
    }
}
