package io.fabsim.peer.fabric;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A real Hyperledger Fabric peer ({@code ../shared/fabric-bin/bin/peer node start}) in a temporary
 * directory of its own, for interoperability tests, and Fabric's {@code peer} CLI against any peer.
 *
 * <p>{@link #start} copies Fabric's sample {@code core.yaml} into the directory, points
 * {@code FABRIC_CFG_PATH} at it and overrides with {@code CORE_*} environment variables: the node's
 * MSP and TLS folders (cryptogen layout: {@code msp/}, {@code tls/server.crt|server.key|ca.crt}),
 * TLS on with client authentication required (the node's TLS certificate is also its client
 * certificate, so its deliver client can pull from an orderer that requires one), free ports on
 * 127.0.0.1 for the peer, chaincode and operations listeners, static org leader by default. Its
 * output goes to {@code peer.log} in the directory ({@link #log()}, {@link #awaitLog}).
 *
 * <p>The process is always stopped: by {@link #close()} (which tests call from try-with-resources
 * or {@code @AfterEach}) and, should the JVM exit first, by a shutdown hook.
 *
 * <p>Tests call {@link #assumeAvailable()} first: where the binaries are absent they are skipped
 * with a message.
 */
public final class FabricPeerProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CLI_TIMEOUT = Duration.ofSeconds(60);

    private final Path dir;
    private final Process process;
    private final Thread shutdownHook;
    private final int port;
    private final int operationsPort;
    private final Path tlsDir;

    /**
     * What one Fabric peer runs as. {@code nodeDir} holds the node's {@code msp/} and {@code tls/};
     * {@code clientRootCas} are the TLS roots whose client certificates its server accepts (its own
     * TLS root is always added); {@code env} overrides anything, e.g. the leader flags.
     */
    public record Settings(String peerId, String mspId, Path nodeDir, List<Path> clientRootCas, Map<String, String> env) {

        public Settings {
            Objects.requireNonNull(peerId, "peerId");
            Objects.requireNonNull(mspId, "mspId");
            Objects.requireNonNull(nodeDir, "nodeDir");
            clientRootCas = List.copyOf(clientRootCas);
            env = Map.copyOf(env);
        }

        public static Settings of(String peerId, String mspId, Path nodeDir) {
            return new Settings(peerId, mspId, nodeDir, List.of(), Map.of());
        }

        public Settings withClientRootCas(List<Path> roots) {
            return new Settings(peerId, mspId, nodeDir, roots, env);
        }

        public Settings withEnv(Map<String, String> more) {
            Map<String, String> merged = new LinkedHashMap<>(env);
            merged.putAll(more);
            return new Settings(peerId, mspId, nodeDir, clientRootCas, merged);
        }
    }

    /** What one run of the {@code peer} CLI printed (stdout and stderr together) and its exit code. */
    public record CliResult(int exitCode, String output) {

        public boolean ok() {
            return exitCode == 0;
        }
    }

    private FabricPeerProcess(Path dir, Process process, Thread shutdownHook, int port, int operationsPort, Path tlsDir) {
        this.dir = dir;
        this.process = process;
        this.shutdownHook = shutdownHook;
        this.port = port;
        this.operationsPort = operationsPort;
        this.tlsDir = tlsDir;
    }

    /** {@code ../shared/fabric-bin}, searched upwards from the working directory (or -Dfabric.bin.dir). */
    public static Path binDir() {
        String property = System.getProperty("fabric.bin.dir");
        if (property != null && Files.isDirectory(Path.of(property))) {
            return Path.of(property).toAbsolutePath().normalize();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("../shared/fabric-bin").normalize();
            if (Files.isRegularFile(candidate.resolve("bin/peer"))) {
                return candidate;
            }
        }
        return Path.of("../shared/fabric-bin").toAbsolutePath().normalize();
    }

    /** Skips the calling test, with a message, where {@code ../shared/fabric-bin/bin/peer} is absent. */
    public static void assumeAvailable() {
        assumeTrue(Files.isExecutable(binDir().resolve("bin/peer")),
                "Fabric binaries not found (looked for ../shared/fabric-bin/bin/peer, or -Dfabric.bin.dir): test skipped");
    }

    /** Starts {@code peer node start} in {@code workDir} (created if needed) and waits until it listens. */
    public static FabricPeerProcess start(Settings settings, Path workDir) throws IOException {
        assumeAvailable();
        Files.createDirectories(workDir);
        Files.copy(binDir().resolve("config/core.yaml"), workDir.resolve("core.yaml"), StandardCopyOption.REPLACE_EXISTING);
        int port = freePort();
        int chaincodePort = freePort();
        int operationsPort = freePort();
        Path tls = settings.nodeDir().resolve("tls");
        List<Path> roots = new ArrayList<>(List.of(tls.resolve("ca.crt")));
        roots.addAll(settings.clientRootCas());
        String address = "127.0.0.1:" + port;

        Map<String, String> env = new LinkedHashMap<>();
        env.put("FABRIC_CFG_PATH", workDir.toString());
        env.put("FABRIC_LOGGING_SPEC", "info");
        env.put("CORE_PEER_ID", settings.peerId());
        env.put("CORE_PEER_ADDRESS", address);
        env.put("CORE_PEER_LISTENADDRESS", address);
        env.put("CORE_PEER_CHAINCODEADDRESS", "127.0.0.1:" + chaincodePort);
        env.put("CORE_PEER_CHAINCODELISTENADDRESS", "127.0.0.1:" + chaincodePort);
        env.put("CORE_PEER_GOSSIP_ENDPOINT", address);
        env.put("CORE_PEER_GOSSIP_BOOTSTRAP", address);
        env.put("CORE_PEER_GOSSIP_EXTERNALENDPOINT", address);
        env.put("CORE_PEER_GOSSIP_USELEADERELECTION", "false");
        env.put("CORE_PEER_GOSSIP_ORGLEADER", "true");
        env.put("CORE_PEER_LOCALMSPID", settings.mspId());
        env.put("CORE_PEER_MSPCONFIGPATH", settings.nodeDir().resolve("msp").toString());
        env.put("CORE_PEER_FILESYSTEMPATH", workDir.resolve("data").toString());
        env.put("CORE_LEDGER_SNAPSHOTS_ROOTDIR", workDir.resolve("snapshots").toString());
        env.put("CORE_OPERATIONS_LISTENADDRESS", "127.0.0.1:" + operationsPort);
        env.put("CORE_METRICS_PROVIDER", "disabled");
        env.put("CORE_PEER_TLS_ENABLED", "true");
        env.put("CORE_PEER_TLS_CERT_FILE", tls.resolve("server.crt").toString());
        env.put("CORE_PEER_TLS_KEY_FILE", tls.resolve("server.key").toString());
        env.put("CORE_PEER_TLS_ROOTCERT_FILE", tls.resolve("ca.crt").toString());
        env.put("CORE_PEER_TLS_CLIENTAUTHREQUIRED", "true");
        env.put("CORE_PEER_TLS_CLIENTCERT_FILE", tls.resolve("server.crt").toString());
        env.put("CORE_PEER_TLS_CLIENTKEY_FILE", tls.resolve("server.key").toString());
        env.put("CORE_PEER_TLS_CLIENTROOTCAS_FILES", String.join(" ", roots.stream().map(Path::toString).toList()));
        env.putAll(settings.env());

        ProcessBuilder builder = new ProcessBuilder(binDir().resolve("bin/peer").toString(), "node", "start")
                .directory(workDir.toFile()).redirectErrorStream(true).redirectOutput(workDir.resolve("peer.log").toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("CORE_") || k.startsWith("FABRIC_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        Thread hook = new Thread(process::destroyForcibly, "fabric-peer-kill-" + settings.peerId());
        Runtime.getRuntime().addShutdownHook(hook);
        FabricPeerProcess peer = new FabricPeerProcess(workDir, process, hook, port, operationsPort, tls);
        try {
            peer.awaitLog("Started peer with ID", START_TIMEOUT);
        } catch (RuntimeException e) {
            peer.close();
            throw e;
        }
        return peer;
    }

    public int port() {
        return port;
    }

    public String address() {
        return "127.0.0.1:" + port;
    }

    public int operationsPort() {
        return operationsPort;
    }

    public Path dir() {
        return dir;
    }

    /** The TLS root of this peer's server certificate. */
    public Path tlsRootCert() {
        return tlsDir.resolve("ca.crt");
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Everything the peer printed so far. */
    public String log() {
        try {
            return Files.readString(dir.resolve("peer.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls the log (every 100 ms, up to {@code timeout}) until it contains {@code fragment}. */
    public void awaitLog(String fragment, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (log().contains(fragment)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("Fabric peer exited with " + process.exitValue() + " before logging '"
                        + fragment + "'; log:\n" + tail(log()));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Fabric peer did not log '" + fragment + "' within " + timeout + "; log:\n"
                        + tail(log()));
            }
            try {
                process.waitFor(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the Fabric peer", e);
            }
        }
    }

    /** What {@code peer channel getinfo} prints: the height and the hash of the last block. */
    public record ChainInfo(long height, byte[] currentBlockHash) {
    }

    private static final java.util.regex.Pattern CHAIN_INFO = java.util.regex.Pattern.compile(
            "Blockchain info: \\{\"height\":(\\d+),\"currentBlockHash\":\"([^\"]*)\"");

    /** Whether the peer finished starting (its log says so). */
    public boolean started() {
        return log().contains("Started peer with ID=");
    }

    /** {@code peer channel join -b <block>} as {@code admin}; an error names the CLI's output. */
    public void join(CliIdentity admin, Path genesisBlock) throws IOException {
        CliResult result = cli(admin, "channel", "join", "-b", genesisBlock.toString());
        if (!result.ok()) {
            throw new IOException("peer channel join -b " + genesisBlock + " exited " + result.exitCode() + ": "
                    + result.output());
        }
    }

    /** {@code peer channel getinfo -c <channel>} as {@code client}. */
    public ChainInfo chainInfo(CliIdentity client, String channel) throws IOException {
        CliResult result = cli(client, "channel", "getinfo", "-c", channel);
        java.util.regex.Matcher m = CHAIN_INFO.matcher(result.output());
        if (!result.ok() || !m.find()) {
            throw new IOException("peer channel getinfo -c " + channel + ": unexpected output: " + result.output());
        }
        return new ChainInfo(Long.parseLong(m.group(1)), java.util.Base64.getDecoder().decode(m.group(2)));
    }

    /** Kills the peer at once (SIGKILL) and waits for it to end. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(CLI_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Fabric's {@code peer} CLI against this peer, as the identity of {@code client}. */
    public CliResult cli(CliIdentity client, String... args) throws IOException {
        return cli(address(), tlsRootCert(), client, dir.resolve("cli"), args);
    }

    /**
     * The identity the CLI signs with ({@code CORE_PEER_LOCALMSPID}, {@code CORE_PEER_MSPCONFIGPATH})
     * and presents at the TLS handshake ({@code tlsDir} with {@code client.crt|key} or
     * {@code server.crt|key}).
     */
    public record CliIdentity(String mspId, Path mspDir, Path tlsDir) {

        /** A cryptogen user folder ({@code users/Admin@org1.example.com}): {@code msp/} and {@code tls/}. */
        public static CliIdentity ofUser(String mspId, Path userDir) {
            return new CliIdentity(mspId, userDir.resolve("msp"), userDir.resolve("tls"));
        }

        Path tlsCert() {
            Path client = tlsDir.resolve("client.crt");
            return Files.exists(client) ? client : tlsDir.resolve("server.crt");
        }

        Path tlsKey() {
            Path client = tlsDir.resolve("client.key");
            return Files.exists(client) ? client : tlsDir.resolve("server.key");
        }
    }

    /**
     * Runs {@code peer <args>} against the peer at {@code address} (any implementation) over TLS with
     * a client certificate, in {@code workDir} (created; Fabric's sample core.yaml is copied there).
     */
    public static CliResult cli(String address, Path serverTlsRoot, CliIdentity client, Path workDir, String... args)
            throws IOException {
        assumeAvailable();
        Files.createDirectories(workDir);
        Path config = workDir.resolve("core.yaml");
        if (!Files.exists(config)) {
            Files.copy(binDir().resolve("config/core.yaml"), config);
        }
        List<String> command = new ArrayList<>(List.of(binDir().resolve("bin/peer").toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(workDir, "cli-", ".out");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("CORE_") || k.startsWith("FABRIC_"));
        env.put("FABRIC_CFG_PATH", workDir.toString());
        env.put("FABRIC_LOGGING_SPEC", "info");
        env.put("CORE_PEER_ADDRESS", address);
        // The CLI's default 3 s to connect is too short on a busy 2-core test machine.
        env.put("CORE_PEER_CLIENT_CONNTIMEOUT", "30s");
        env.put("CORE_PEER_LOCALMSPID", client.mspId());
        env.put("CORE_PEER_MSPCONFIGPATH", client.mspDir().toString());
        env.put("CORE_PEER_TLS_ENABLED", "true");
        env.put("CORE_PEER_TLS_ROOTCERT_FILE", serverTlsRoot.toString());
        env.put("CORE_PEER_TLS_CLIENTAUTHREQUIRED", "true");
        env.put("CORE_PEER_TLS_CLIENTCERT_FILE", client.tlsCert().toString());
        env.put("CORE_PEER_TLS_CLIENTKEY_FILE", client.tlsKey().toString());
        Process process = builder.start();
        try {
            if (!process.waitFor(CLI_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException("peer " + String.join(" ", args) + " did not finish within " + CLI_TIMEOUT
                        + "; output:\n" + Files.readString(out));
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running the peer CLI", e);
        }
        return new CliResult(process.exitValue(), Files.readString(out));
    }

    /**
     * Stops the peer (SIGTERM, then SIGKILL after 10 s) and prints the last lines of its log (for the
     * test report); deletes nothing: the directory is the caller's.
     */
    @Override
    public void close() {
        String messages = String.join("\n", log().lines().filter(l -> !l.startsWith("\t") && !l.startsWith("goroutine")).toList());
        System.out.println("==== Fabric peer log " + dir.resolve("peer.log") + " (last 40 lines, stack frames left out)\n"
                + tail(messages));
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down; the hook runs anyway
        }
    }

    /** A TCP port free on 127.0.0.1 at the time of the call. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String tail(String log) {
        String[] lines = log.split("\n");
        int from = Math.max(0, lines.length - 40);
        return String.join("\n", java.util.Arrays.asList(lines).subList(from, lines.length));
    }
}
