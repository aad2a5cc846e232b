package io.fabsim.peer;

import io.fabsim.common.config.ConfigException;
import io.fabsim.common.config.ConfigReader;
import io.fabsim.common.config.HostPort;
import io.fabsim.common.operations.OperationsTls;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The peer process's own settings ({@code peer.*} and {@code operations.*} of peer-node's
 * reference.conf), validated on load. The other modules' settings ({@code peer.deliveryclient},
 * {@code peer.gossip.election}, ...) are read by their own config records from the same reader.
 *
 * @param id this peer's name ({@code peer.id})
 * @param networkId {@code peer.networkId}
 * @param listenAddress the gRPC server's address ({@code peer.listenAddress})
 * @param tls the gRPC server's TLS settings ({@code peer.tls.*})
 * @param localMspId {@code peer.localMspId}
 * @param mspConfigPath {@code peer.mspConfigPath}
 * @param fileSystemPath the ledgers' root directory ({@code peer.fileSystemPath})
 * @param leaderMode how this peer gets blocks from the ordering service, from
 *        {@code peer.gossip.useLeaderElection} and {@code peer.gossip.orgLeader}
 * @param operationsListenAddress {@code operations.listenAddress}
 * @param operationsTls {@code operations.tls.*}; empty for plain HTTP
 */
public record PeerConfig(String id, String networkId, HostPort listenAddress, Tls tls, String localMspId,
        Path mspConfigPath, Path fileSystemPath, LeaderMode leaderMode,
        HostPort operationsListenAddress, Optional<OperationsTls> operationsTls) {

    /** The server TLS settings; the paths are absolute. */
    public record Tls(boolean enabled, boolean clientAuthRequired, Path certFile, Path keyFile, Path rootCertFile,
            List<Path> clientRootCaFiles) {

        public Tls {
            clientRootCaFiles = List.copyOf(clientRootCaFiles);
        }
    }

    /**
     * Reads and validates the settings ({@link ConfigException} naming the key); refuses both leader
     * flags with Fabric's message ({@link PeerStartRefusedException}).
     */
    public static PeerConfig from(ConfigReader reader) {
        reader.rejectUnknownKeys("peer");
        reader.rejectUnknownKeys("operations");
        boolean tlsEnabled = reader.bool("peer.tls.enabled");
        boolean clientAuth = reader.bool("peer.tls.clientAuthRequired");
        if (clientAuth && !tlsEnabled) {
            throw new ConfigException("peer.tls.clientAuthRequired",
                    "expected false when peer.tls.enabled is false (mutual TLS needs TLS), got true");
        }
        // as Fabric, the client root CAs are read only when client certificates are asked for
        Tls tls = new Tls(tlsEnabled, clientAuth, reader.path("peer.tls.cert.file"), reader.path("peer.tls.key.file"),
                reader.path("peer.tls.rootcert.file"), clientAuth ? reader.paths("peer.tls.clientRootCAs.files") : List.of());
        return new PeerConfig(
                name(reader, "peer.id"),
                reader.nonEmptyString("peer.networkId"),
                reader.hostPort("peer.listenAddress"),
                tls,
                name(reader, "peer.localMspId"),
                reader.path("peer.mspConfigPath"),
                reader.path("peer.fileSystemPath"),
                LeaderMode.of(reader.bool("peer.gossip.useLeaderElection"), reader.bool("peer.gossip.orgLeader")),
                reader.hostPort("operations.listenAddress"),
                OperationsTls.read(reader, OperationsTls.Keys.peer("operations.tls")));
    }

    private static String name(ConfigReader reader, String path) {
        String value = reader.nonEmptyString(path);
        if (!value.matches("[A-Za-z0-9][A-Za-z0-9._\\-]*")) {
            throw new ConfigException(path, "expected letters, digits, '.', '_' or '-', got \"" + value + "\"");
        }
        return value;
    }
}
