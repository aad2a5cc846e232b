package io.fabsim.peer;

import com.google.protobuf.ByteString;
import io.fabsim.common.configtx.ChannelConfig;
import io.fabsim.common.configtx.OrgConfig;
import io.fabsim.common.crypto.CryptoMaterialException;
import io.fabsim.common.crypto.Pem;
import io.fabsim.common.tls.TlsMaterial;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CAs the peer's gRPC server accepts client certificates from, when
 * {@code peer.tls.clientAuthRequired} (Fabric's {@code updateTrustedRoots} with
 * {@code BuildTrustedRootsForChannel}): {@code peer.tls.clientRootCAs.files}, the peer's own
 * {@code peer.tls.rootcert.file}, and the TLS root and intermediate CAs of the application orgs of
 * every channel the peer runs. Channel configs are asked for at each handshake; the set is
 * rebuilt only when one of them changed (a channel joined or left, a config block committed).
 */
final class ClientTlsRoots implements Supplier<Set<X509Certificate>> {

    private static final Logger log = LoggerFactory.getLogger(ClientTlsRoots.class);

    private final Set<X509Certificate> configured;
    private final Supplier<List<ChannelConfig>> channels;
    private Set<ChannelConfig> seen = Set.of();
    private Set<X509Certificate> roots;

    /** Reads the configured CA files at once: a missing or bad file fails the start, naming it. */
    ClientTlsRoots(PeerConfig.Tls tls, Supplier<List<ChannelConfig>> channels) {
        List<Path> files = new ArrayList<>(tls.clientRootCaFiles());
        files.add(tls.rootCertFile());
        this.configured = tls.clientAuthRequired() ? new LinkedHashSet<>(TlsMaterial.readRoots(files)) : Set.of();
        this.channels = channels;
        this.roots = configured;
    }

    @Override
    public synchronized Set<X509Certificate> get() {
        List<ChannelConfig> now = channels.get();
        Set<ChannelConfig> current = Collections.newSetFromMap(new IdentityHashMap<>());
        current.addAll(now);
        if (!current.equals(seen)) {
            Set<X509Certificate> next = new LinkedHashSet<>(configured);
            for (ChannelConfig config : now) {
                next.addAll(applicationTlsCas(config));
            }
            if (!next.equals(roots)) {
                log.info("Client TLS root CAs updated: {} CAs, from peer.tls.clientRootCAs.files, peer.tls.rootcert.file "
                        + "and the application orgs of channels {}", next.size(),
                        now.stream().map(ChannelConfig::channelId).sorted().toList());
            }
            roots = Set.copyOf(next);
            seen = current;
        }
        return roots;
    }

    private static List<X509Certificate> applicationTlsCas(ChannelConfig config) {
        List<X509Certificate> cas = new ArrayList<>();
        for (OrgConfig org : config.applicationOrgs()) {
            List<ByteString> pems = new ArrayList<>(org.tlsRootCerts());
            pems.addAll(org.tlsIntermediateCerts());
            for (ByteString pem : pems) {
                try {
                    cas.addAll(Pem.parseCertificates(pem.toByteArray(), "channel " + config.channelId() + ", org "
                            + org.mspId() + " TLS CA"));
                } catch (CryptoMaterialException e) {
                    log.warn("Channel {}: org {}: a TLS CA certificate is unreadable and not trusted: {}",
                            config.channelId(), org.mspId(), e.getMessage());
                }
            }
        }
        return cas;
    }
}
