package io.fabsim.orderer;

import io.fabsim.common.config.ConfigException;
import io.fabsim.common.config.ConfigReader;
import io.fabsim.common.config.HostPort;
import io.fabsim.common.operations.OperationsTls;
import io.fabsim.ledger.LedgerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The orderer's configuration (see the module's {@code reference.conf} for every key), validated on
 * load: a bad value fails with the key, the value and what was expected. The block files follow the
 * ledger module's {@code ledger.blockStore} keys (fsync on by default: a block is on disk before
 * any reader sees it).
 */
public record OrdererConfig(
        String nodeName,
        HostPort listen,
        Tls tls,
        String localMspId,
        Path localMspDir,
        Duration timeWindow,
        Path ledgerLocation,
        LedgerConfig ledger,
        HostPort operationsListen,
        Optional<OperationsTls> operationsTls,
        Optional<HostPort> adminListen,
        Optional<OperationsTls> adminTls,
        Follower follower,
        Load load) {

    /** {@code General.TLS}. */
    public record Tls(boolean enabled, Path certificate, Path privateKey, List<Path> rootCAs,
            boolean clientAuthRequired, List<Path> clientRootCAs) {
    }

    /** {@code orderer.follower}: replicate channels from another orderer. */
    public record Follower(Optional<HostPort> source, List<String> channels, boolean tls, Duration retryInterval) {
    }

    /** {@code orderer.load}: the built-in load source. */
    public record Load(boolean enabled, int rate, int txSize, List<String> channels, LoadKind kind,
                       Map<String, LoadSigners> signers, String chaincode) {
    }

    /** What the load sends: Fabric's broadcast_msg MESSAGE envelopes, or endorser transactions. */
    public enum LoadKind { MESSAGE, ENDORSER }

    /** {@code orderer.load.signers.<mspId>}: the MSP folders of an org's client and endorsing peer. */
    public record LoadSigners(Path client, Path endorser) {
    }

    /** Environment variable prefixes the orderer process reads (Fabric's {@code ORDERER}, and {@code FABSIM}). */
    public static final List<String> ENV_PREFIXES = List.of("ORDERER", "FABSIM");

    /** {@code orderer.load.signers}: keyed by MSP ID, each with {@code client} and {@code endorser} MSP folders. */
    private static Map<String, LoadSigners> loadSigners(ConfigReader reader) {
        Map<String, LoadSigners> signers = new TreeMap<>();
        if (!reader.has("orderer.load.signers")) {
            return signers;
        }
        for (String mspId : reader.config().getObject("orderer.load.signers").keySet()) {
            String at = "orderer.load.signers.\"" + mspId + "\"";
            for (String key : reader.config().getObject(at).keySet()) {
                if (!key.equals("client") && !key.equals("endorser")) {
                    throw new ConfigException(at + "." + key, "unknown key; expected client and endorser (MSP folders)");
                }
            }
            signers.put(mspId, new LoadSigners(reader.path(at + ".client"), reader.path(at + ".endorser")));
        }
        return signers;
    }

    public static OrdererConfig from(ConfigReader reader) {
        for (String section : List.of("General", "FileLedger", "Operations", "Admin", "orderer")) {
            reader.rejectUnknownKeys(section, "orderer.load.signers");
        }
        String host = reader.nonEmptyString("General.ListenAddress");
        int port = reader.intInRange("General.ListenPort", 0, 65535);
        Tls tls = new Tls(reader.bool("General.TLS.Enabled"), reader.path("General.TLS.Certificate"),
                reader.path("General.TLS.PrivateKey"), reader.paths("General.TLS.RootCAs"),
                reader.bool("General.TLS.ClientAuthRequired"), reader.paths("General.TLS.ClientRootCAs"));
        if (tls.clientAuthRequired() && !tls.enabled()) {
            throw new ConfigException("General.TLS.ClientAuthRequired", "expected false when General.TLS.Enabled is false, got true");
        }
        Optional<HostPort> admin = reader.optionalString("Admin.ListenAddress").filter(s -> !s.isBlank())
                .map(s -> reader.hostPort("Admin.ListenAddress"));
        Optional<HostPort> source = reader.optionalString("orderer.follower.source").filter(s -> !s.isBlank())
                .map(s -> reader.hostPort("orderer.follower.source"));
        Follower follower = new Follower(source, reader.strings("orderer.follower.channels"),
                reader.bool("orderer.follower.tls"),
                reader.duration("orderer.follower.retryInterval", Duration.ofMillis(10), Duration.ofMinutes(1)));
        Load load = new Load(reader.bool("orderer.load.enabled"), reader.intInRange("orderer.load.rate", 1, 1_000_000),
                (int) reader.bytesInRange("orderer.load.txSize", 0, 64L * 1024 * 1024), reader.strings("orderer.load.channels"),
                reader.enumValue("orderer.load.kind", LoadKind.class), loadSigners(reader),
                reader.nonEmptyString("orderer.load.chaincode"));
        if (load.enabled() && load.kind() == LoadKind.ENDORSER && load.signers().isEmpty()) {
            throw new ConfigException("orderer.load.signers", "expected at least one org's client and endorser MSP folders "
                    + "when orderer.load.kind = endorser, got none");
        }
        return new OrdererConfig(reader.nonEmptyString("orderer.nodeName"), new HostPort(host, port), tls,
                reader.nonEmptyString("General.LocalMSPID"), reader.path("General.LocalMSPDir"),
                reader.duration("General.Authentication.TimeWindow", Duration.ofSeconds(1), Duration.ofHours(24)),
                reader.path("FileLedger.Location"), LedgerConfig.from(reader), reader.hostPort("Operations.ListenAddress"),
                OperationsTls.read(reader, OperationsTls.Keys.orderer("Operations.TLS")), admin,
                OperationsTls.read(reader, OperationsTls.Keys.orderer("Admin.TLS")), follower, load);
    }
}
