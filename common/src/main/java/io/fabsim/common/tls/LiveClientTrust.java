package io.fabsim.common.tls;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A TLS server's check of client certificates against CAs that change while it serves (Fabric's
 * {@code GRPCServer.SetClientRootCAs}, called by the peer's {@code updateTrustedRoots} whenever a
 * channel's config names new TLS CAs). Each handshake asks {@code roots} for the current CAs and
 * rebuilds the PKIX check when they differ from the last ones. Every CA given is a trust anchor,
 * intermediates included, as in Go's certificate pools.
 *
 * <p>It advertises no CA names in the handshake (the list would be fixed when the server's TLS
 * context is built): clients then send their certificate whatever CA issued it, and this check
 * decides.
 */
public final class LiveClientTrust extends X509ExtendedTrustManager {

    private record Snapshot(Set<X509Certificate> roots, X509ExtendedTrustManager check) {
    }

    private final Supplier<Set<X509Certificate>> roots;
    private volatile Snapshot current;

    public LiveClientTrust(Supplier<Set<X509Certificate>> roots) {
        this.roots = roots;
    }

    private X509ExtendedTrustManager check() throws CertificateException {
        Set<X509Certificate> now = roots.get();
        Snapshot snapshot = current;
        if (snapshot == null || !snapshot.roots().equals(now)) {
            snapshot = new Snapshot(Set.copyOf(now), pkix(now));
            current = snapshot;
        }
        return snapshot.check();
    }

    private static X509ExtendedTrustManager pkix(Set<X509Certificate> roots) throws CertificateException {
        if (roots.isEmpty()) {
            throw new CertificateException("no client root CA is trusted");
        }
        try {
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            int i = 0;
            for (X509Certificate root : roots) {
                anchors.setCertificateEntry("ca-" + i++, root);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(anchors);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager x509) {
                    return x509;
                }
            }
            throw new CertificateException("the PKIX trust manager factory made no X.509 trust manager");
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new CertificateException("cannot build the client certificate check: " + e.getMessage(), e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check().checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check().checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check().checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a server's client-certificate check cannot check servers");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    /** None: see the class comment. */
    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
