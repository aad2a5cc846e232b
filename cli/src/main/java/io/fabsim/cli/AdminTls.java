package io.fabsim.cli;

import io.fabsim.common.config.HostPort;
import io.fabsim.common.crypto.CryptoMaterialException;
import io.fabsim.common.operations.OperationsTls;
import io.fabsim.common.tls.TlsMaterial;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The TLS options of the commands that call a node's operations or admin endpoint ({@code peer
 * channel ...}, {@code orderer channel join}), and the HTTP client they make. HTTPS is used when
 * {@code --cafile} is given or the node's configuration ({@code --config}) enables TLS on that
 * endpoint; without {@code --cafile} the node's own certificate from its configuration is trusted.
 * {@code --certfile}/{@code --keyfile} are the client certificate for mutual TLS.
 */
final class AdminTls {

    @Option(names = "--cafile", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "PEM CA certificate(s) the endpoint's certificate must chain to; implies HTTPS.")
    Path caFile;

    @Option(names = "--certfile", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "PEM client certificate, for an endpoint that requires one (mutual TLS).")
    Path certFile;

    @Option(names = "--keyfile", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "PEM (PKCS#8) private key of --certfile.")
    Path keyFile;

    /** Where to send requests: {@code http(s)://host:port} and a client for it. */
    record Endpoint(String base, HttpClient client) {

        /** What to add to a failure to reach the endpoint: over plain HTTP, that it may be HTTPS. */
        String hint() {
            return base.startsWith("http://") ? " (if the endpoint uses TLS, give --config with its TLS settings, or --cafile)"
                    : "";
        }
    }

    /** {@code node}: the endpoint's TLS section in the node's configuration, when one was read. */
    Endpoint endpoint(HostPort address, Optional<OperationsTls> node) {
        if ((certFile == null) != (keyFile == null)) {
            throw new CliException(ExitCode.USAGE, "--certfile and --keyfile go together");
        }
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (caFile == null && node.isEmpty()) {
            return new Endpoint("http://" + address, builder.build());
        }
        try {
            List<X509Certificate> roots = caFile != null ? TlsMaterial.readRoots(List.of(caFile))
                    : TlsMaterial.readRoots(List.of(node.get().certFile()));
            Optional<TlsMaterial> identity = certFile == null ? Optional.empty()
                    : Optional.of(TlsMaterial.fromFiles(certFile, keyFile, List.of()));
            if (identity.isEmpty() && node.map(OperationsTls::clientAuthRequired).orElse(false)) {
                throw new CliException(ExitCode.USAGE, address + " requires a client certificate: give --certfile and --keyfile");
            }
            return new Endpoint("https://" + address, builder.sslContext(OperationsTls.clientContext(roots, identity)).build());
        } catch (CryptoMaterialException e) {
            throw new CliException(ExitCode.USAGE, e.getMessage(), e);
        }
    }
}
