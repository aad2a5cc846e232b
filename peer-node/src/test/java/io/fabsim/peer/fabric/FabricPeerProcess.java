package io.fabsim.peer.fabric;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Hyperledger Fabric v2.5.12 peer ({@code ../shared/fabric-bin/bin/peer node start}) for
 * interoperability tests: it runs in its own directory with a copy of Fabric's sample
 * {@code core.yaml} and {@code CORE_*} overrides (ports chosen free on 127.0.0.1, TLS with the given
 * material, the ledger inside the directory), and is driven with Fabric's own CLI
 * ({@code peer channel join|getinfo} as the org's admin). Its output goes to {@code peer.log}.
 * The process is always killed: by {@link #close()}, else by a JVM shutdown hook. Tests that
 * create one are skipped where the Fabric binaries are absent ({@link #binDir()}).
 */
public final class FabricPeerProcess implements AutoCloseable {

    private static final Duration CLI_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern INFO = Pattern.compile(
            "Blockchain info: \\{\"height\":(\\d+),\"currentBlockHash\":\"([^\"]*)\"");

    /**
     * Who the peer is and how it gossips. {@code mspDir} and {@code tlsDir} are the peer's cryptogen
     * folders ({@code msp/}, {@code tls/} with server.crt, server.key, ca.crt); {@code adminMspDir}
     * the org admin's MSP for the CLI; {@code env} further {@code CORE_*} overrides.
     */
    public record Settings(String id, String mspId, Path mspDir, Path tlsDir, Path adminMspDir,
            Map<String, String> env) {
    }

    /** What {@code peer channel getinfo} prints: the height and the hash of the last block. */
    public record ChainInfo(long height, byte[] currentBlockHash) {
    }

    private final Settings settings;
    private final Path dir;
    private final Path bin;
    private final int port;
    private final int operationsPort;
    private final Process process;
    private final Thread hook;

    private FabricPeerProcess(Settings settings, Path dir) throws IOException {
        this.settings = settings;
        this.dir = dir;
        this.bin = binDir();
        Files.createDirectories(dir);
        Files.copy(bin.resolve("../config/core.yaml").normalize(), dir.resolve("core.yaml"));
        this.port = freePort();
        this.operationsPort = freePort();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("FABRIC_CFG_PATH", dir.toString());
        env.put("FABRIC_LOGGING_SPEC", "info:gossip=info");
        env.put("CORE_PEER_ID", settings.id());
        env.put("CORE_PEER_ADDRESS", address());
        env.put("CORE_PEER_LISTENADDRESS", address());
        int chaincode = freePort();
        env.put("CORE_PEER_CHAINCODEADDRESS", "127.0.0.1:" + chaincode);
        env.put("CORE_PEER_CHAINCODELISTENADDRESS", "127.0.0.1:" + chaincode);
        env.put("CORE_PEER_LOCALMSPID", settings.mspId());
        env.put("CORE_PEER_MSPCONFIGPATH", settings.mspDir().toString());
        env.put("CORE_PEER_FILESYSTEMPATH", dir.resolve("data").toString());
        env.put("CORE_LEDGER_SNAPSHOTS_ROOTDIR", dir.resolve("snapshots").toString());
        env.put("CORE_OPERATIONS_LISTENADDRESS", "127.0.0.1:" + operationsPort);
        // the sample core.yaml bootstraps from 127.0.0.1:7051, which may be anyone's: itself unless told
        env.put("CORE_PEER_GOSSIP_BOOTSTRAP", address());
        env.putAll(tlsEnv());
        env.putAll(settings.env());
        ProcessBuilder builder = new ProcessBuilder(bin.resolve("peer").toString(), "node", "start")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("peer.log").toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("CORE_") || k.startsWith("FABRIC_"));
        builder.environment().putAll(env);
        this.process = builder.start();
        this.hook = new Thread(process::destroyForcibly, "kill-fabric-peer-" + settings.id());
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Starts the peer in {@code dir} (created; a fresh one per peer). Skips the test when Fabric is absent. */
    public static FabricPeerProcess start(Settings settings, Path dir) throws IOException {
        return new FabricPeerProcess(settings, dir);
    }

    /**
     * {@code ../shared/fabric-bin/bin} (searched upwards from the working directory, or
     * {@code -Dfabric.bin.dir}); the test is skipped with a message when it is absent.
     */
    public static Path binDir() {
        String property = System.getProperty("fabric.bin.dir");
        Path found = null;
        if (property != null && Files.isExecutable(Path.of(property, "bin", "peer"))) {
            found = Path.of(property, "bin");
        }
        for (Path p = Path.of("").toAbsolutePath(); found == null && p != null; p = p.getParent()) {
            Path candidate = p.resolve("../shared/fabric-bin/bin").normalize();
            if (Files.isExecutable(candidate.resolve("peer"))) {
                found = candidate;
            }
        }
        assumeTrue(found != null,
                "Fabric binaries not found (looked for ../shared/fabric-bin/bin/peer, or -Dfabric.bin.dir): test skipped");
        return found.toAbsolutePath();
    }

    /** host:port of the peer (gRPC services, gossip included). */
    public String address() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public String id() {
        return settings.id();
    }

    /** Whether the peer finished starting (its log says so). */
    public boolean started() {
        return log().contains("Started peer with ID=");
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Everything the peer logged so far. */
    public String log() {
        try {
            return Files.readString(dir.resolve("peer.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** {@code peer channel join -b <block>} as the org's admin. */
    public void join(Path genesisBlock) throws IOException, InterruptedException {
        cli("channel", "join", "-b", genesisBlock.toString());
    }

    /** {@code peer channel getinfo -c <channel>} as the org's admin. */
    public ChainInfo chainInfo(String channel) throws IOException, InterruptedException {
        String out = cli("channel", "getinfo", "-c", channel);
        Matcher m = INFO.matcher(out);
        if (!m.find()) {
            throw new IOException("peer channel getinfo -c " + channel + ": unexpected output: " + out);
        }
        return new ChainInfo(Long.parseLong(m.group(1)), Base64.getDecoder().decode(m.group(2)));
    }

    /** Kills the peer at once (SIGKILL) and waits for it to end. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(CLI_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    @Override
    public void close() {
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
        keepLog();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs anyway
        }
    }

    @Override
    public String toString() {
        return "Fabric peer " + settings.id() + " at " + address() + " (" + dir + ")";
    }

    /** Copies the log to {@code target/fabric-peer-logs/} (the test directory is removed after the test). */
    private void keepLog() {
        try {
            Path logs = Files.createDirectories(Path.of("target", "fabric-peer-logs"));
            Files.copy(dir.resolve("peer.log"), logs.resolve(settings.id() + "-" + dir.getFileName() + "-"
                    + ProcessHandle.current().pid() + "-" + process.pid() + ".log"));
        } catch (IOException e) {
            // no log to keep
        }
    }

    private Map<String, String> tlsEnv() {
        Path tls = settings.tlsDir();
        return Map.of("CORE_PEER_TLS_ENABLED", "true",
                "CORE_PEER_TLS_CERT_FILE", tls.resolve("server.crt").toString(),
                "CORE_PEER_TLS_KEY_FILE", tls.resolve("server.key").toString(),
                "CORE_PEER_TLS_ROOTCERT_FILE", tls.resolve("ca.crt").toString());
    }

    private String cli(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(bin.resolve("peer").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("CORE_") || k.startsWith("FABRIC_"));
        builder.environment().put("FABRIC_CFG_PATH", dir.toString());
        builder.environment().put("FABRIC_LOGGING_SPEC", "warning");
        builder.environment().put("CORE_PEER_LOCALMSPID", settings.mspId());
        builder.environment().put("CORE_PEER_MSPCONFIGPATH", settings.adminMspDir().toString());
        builder.environment().put("CORE_PEER_ADDRESS", address());
        builder.environment().putAll(tlsEnv());
        Process cli = builder.start();
        byte[] out;
        try {
            out = cli.getInputStream().readAllBytes();
            if (!cli.waitFor(CLI_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IOException("peer " + String.join(" ", args) + ": no exit within " + CLI_TIMEOUT);
            }
        } finally {
            cli.destroyForcibly();
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (cli.exitValue() != 0) {
            throw new IOException("peer " + String.join(" ", args) + " exited " + cli.exitValue() + ": " + text);
        }
        return text;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
