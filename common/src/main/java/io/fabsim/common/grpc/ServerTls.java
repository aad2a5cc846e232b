package io.fabsim.common.grpc;

import java.nio.file.Path;
import java.util.List;

/**
 * A listener's TLS material (Fabric's {@code General.TLS}): its certificate and PKCS#8 key, and
 * when client certificates are required, the CA certificates client certificates must chain to.
 */
public record ServerTls(Path certificate, Path privateKey, boolean clientAuthRequired, List<Path> clientRootCAs) {

    public ServerTls {
        clientRootCAs = List.copyOf(clientRootCAs);
    }

    public static ServerTls serverOnly(Path certificate, Path privateKey) {
        return new ServerTls(certificate, privateKey, false, List.of());
    }
}
