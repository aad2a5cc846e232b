package io.fabsim.common.operations;

import io.fabsim.common.config.ConfigException;
import io.fabsim.common.config.ConfigReader;
import io.fabsim.common.crypto.CryptoMaterialException;
import io.fabsim.common.tls.TlsMaterial;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS of an operations (or orderer admin) HTTP endpoint: Fabric's {@code operations.tls} of
 * core.yaml and {@code Operations.TLS} / {@code Admin.TLS} of orderer.yaml. The server presents
 * {@code certFile}; with {@code clientAuthRequired} a client must present a certificate issued by
 * one of {@code clientRootCaFiles}.
 */
public record OperationsTls(Path certFile, Path keyFile, boolean clientAuthRequired, List<Path> clientRootCaFiles) {

    public OperationsTls {
        clientRootCaFiles = List.copyOf(clientRootCaFiles);
    }

    /** The keys of one TLS section, e.g. Fabric's {@code operations.tls.enabled}, {@code .cert.file}, .... */
    public record Keys(String enabled, String cert, String key, String clientAuthRequired, String clientRootCas) {

        /** core.yaml's {@code <prefix>.enabled}, {@code .cert.file}, {@code .key.file}, ... */
        public static Keys peer(String prefix) {
            return new Keys(prefix + ".enabled", prefix + ".cert.file", prefix + ".key.file",
                    prefix + ".clientAuthRequired", prefix + ".clientRootCAs.files");
        }

        /** orderer.yaml's {@code <prefix>.Enabled}, {@code .Certificate}, {@code .PrivateKey}, ... */
        public static Keys orderer(String prefix) {
            return new Keys(prefix + ".Enabled", prefix + ".Certificate", prefix + ".PrivateKey",
                    prefix + ".ClientAuthRequired", prefix + ".ClientRootCAs");
        }
    }

    /** Reads a TLS section; empty when it is not enabled. */
    public static Optional<OperationsTls> read(ConfigReader reader, Keys keys) {
        boolean clientAuth = reader.bool(keys.clientAuthRequired());
        if (!reader.bool(keys.enabled())) {
            if (clientAuth) {
                throw new ConfigException(keys.clientAuthRequired(), "expected false when " + keys.enabled()
                        + " is false (mutual TLS needs TLS), got true");
            }
            return Optional.empty();
        }
        List<Path> roots = reader.paths(keys.clientRootCas());
        if (clientAuth && roots.isEmpty()) {
            throw new ConfigException(keys.clientRootCas(), "expected at least one CA file when "
                    + keys.clientAuthRequired() + " is true, got none");
        }
        return Optional.of(new OperationsTls(reader.path(keys.cert()), reader.path(keys.key()), clientAuth, roots));
    }

    /** Loads the files into a server context; a missing or mismatched file fails naming it. */
    public SSLContext serverContext() {
        TlsMaterial identity = TlsMaterial.fromFiles(certFile, keyFile, List.of());
        return context(identity, clientAuthRequired ? TlsMaterial.readRoots(clientRootCaFiles) : List.of());
    }

    /**
     * A client context for an operations endpoint: trusts {@code serverRoots} and, when given,
     * presents {@code identity} (for mutual TLS).
     */
    public static SSLContext clientContext(List<X509Certificate> serverRoots, Optional<TlsMaterial> identity) {
        if (serverRoots.isEmpty()) {
            throw new CryptoMaterialException("a TLS client needs at least one server root CA, got none");
        }
        return context(identity.orElse(null), serverRoots);
    }

    private static SSLContext context(TlsMaterial identity, List<X509Certificate> trusted) {
        try {
            char[] password = new char[0];
            KeyManagerFactory keys = null;
            if (identity != null) {
                KeyStore store = emptyStore();
                store.setKeyEntry("identity", identity.privateKey(), password, new Certificate[] {identity.certificate()});
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(store, password);
            }
            TrustManagerFactory trust = null;
            if (!trusted.isEmpty()) {
                KeyStore store = emptyStore();
                for (int i = 0; i < trusted.size(); i++) {
                    store.setCertificateEntry("root-" + i, trusted.get(i));
                }
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(store);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new CryptoMaterialException("cannot build a TLS context: " + e.getMessage(), e);
        }
    }

    private static KeyStore emptyStore() throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        return store;
    }
}
