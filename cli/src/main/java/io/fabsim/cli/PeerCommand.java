package io.fabsim.cli;

import io.fabsim.common.config.ConfigReader;
import io.fabsim.common.config.HostPort;
import io.fabsim.common.time.Clock;
import io.fabsim.peer.PeerConfig;
import io.fabsim.peer.PeerNode;
import io.fabsim.peer.PeerStartRefusedException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code fabsim peer ...}: {@code node start} runs a peer until SIGTERM; {@code channel join|list|getinfo}
 * talk to a running peer's admin API (on its operations endpoint).
 */
@Command(name = "peer", mixinStandardHelpOptions = true, description = "Run a peer, or manage a running peer's channels.",
        subcommands = {PeerCommand.Node.class, PeerCommand.Channel.class})
public final class PeerCommand {

    @Command(name = "node", mixinStandardHelpOptions = true, description = "Run a peer.", subcommands = Start.class)
    static final class Node {
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Start a peer: open every ledger, start its channels, serve until SIGTERM.")
    static final class Start implements Callable<Integer> {

        @Option(names = "--config", paramLabel = "FILE", description = "Configuration file: fabsim HOCON (conf/peer0.conf) or Fabric's core.yaml.")
        Path config;

        @Override
        public Integer call() throws InterruptedException {
            ConfigReader reader = PeerNode.loadConfig(Optional.ofNullable(config), System.getenv());
            PeerNode node;
            try {
                node = PeerNode.start(reader, Clock.system());
            } catch (PeerStartRefusedException e) {
                throw new CliException(ExitCode.REFUSED_TO_START, e.getMessage(), e);
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                node.close();
                stopped.countDown();
            }, "peer-shutdown"));
            stopped.await();
            return ExitCode.OK.code();
        }
    }

    @Command(name = "channel", mixinStandardHelpOptions = true, description = "Manage a running peer's channels.",
            subcommands = {Join.class, ListChannels.class, GetInfo.class})
    static final class Channel {

        @Option(names = {"--admin", "--peer"}, paramLabel = "HOST:PORT", scope = picocli.CommandLine.ScopeType.INHERIT,
                description = "The peer's operations address (default: operations.listenAddress of --config, else 127.0.0.1:9443).")
        String admin;

        @Option(names = "--config", paramLabel = "FILE", scope = picocli.CommandLine.ScopeType.INHERIT,
                description = "The peer's configuration file, to find its operations address.")
        Path config;

        @Mixin
        AdminTls tls;

        AdminClient client() {
            PeerConfig peer = PeerConfig.from(PeerNode.loadConfig(Optional.ofNullable(config), System.getenv()));
            HostPort address = peer.operationsListenAddress();
            if (admin != null) {
                try {
                    address = HostPort.parse(admin);
                } catch (IllegalArgumentException e) {
                    throw new CliException(ExitCode.USAGE, "--admin: expected host:port, got \"" + admin + "\"");
                }
            }
            return new AdminClient(address, tls.endpoint(address, config == null ? Optional.empty() : peer.operationsTls()));
        }
    }

    @Command(name = "join", mixinStandardHelpOptions = true, description = "Join the peer to a channel from its genesis block.")
    static final class Join implements Callable<Integer> {
        @ParentCommand
        Channel parent;
        @Spec
        CommandSpec spec;
        @Option(names = {"--block", "-b"}, required = true, paramLabel = "FILE", description = "The channel's genesis block.")
        Path block;

        @Override
        public Integer call() {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(block);
            } catch (IOException e) {
                throw new CliException(ExitCode.FAILURE, "cannot read block file " + block + ": " + e.getMessage(), e);
            }
            String body = parent.client().send("POST", "", bytes);
            String channel = AdminClient.field(body, "channel");
            spec.commandLine().getOut().println("Successfully joined channel " + channel);
            return ExitCode.OK.code();
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the channels the peer has joined.")
    static final class ListChannels implements Callable<Integer> {
        @ParentCommand
        Channel parent;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            String body = parent.client().send("GET", "", null);
            spec.commandLine().getOut().println("Channels peers has joined: ");
            AdminClient.strings(body, "channels").forEach(spec.commandLine().getOut()::println);
            return ExitCode.OK.code();
        }
    }

    @Command(name = "getinfo", mixinStandardHelpOptions = true,
            description = "Print a channel's height and current and previous block hashes, as Fabric's peer channel getinfo.")
    static final class GetInfo implements Callable<Integer> {
        @ParentCommand
        Channel parent;
        @Spec
        CommandSpec spec;
        @Option(names = {"-c", "--channelID"}, required = true, paramLabel = "CHANNEL", description = "The channel.")
        String channel;

        @Override
        public Integer call() {
            String body = parent.client().send("GET", "/" + channel, null);
            spec.commandLine().getOut().println("Blockchain info: " + body.trim());
            return ExitCode.OK.code();
        }
    }

    /** The admin API over HTTP: a non-2xx answer is a {@link ExitCode#REMOTE_ERROR} with the peer's reason. */
    record AdminClient(HostPort address, AdminTls.Endpoint endpoint) {

        private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
                new com.fasterxml.jackson.databind.ObjectMapper();

        String send(String method, String path, byte[] body) {
            URI uri = URI.create(endpoint.base() + "/admin/v1/channels" + path);
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/octet-stream")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            HttpResponse<String> response;
            try {
                response = endpoint.client().send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new CliException(ExitCode.FAILURE, "cannot reach the peer's admin API at " + address + ": " + e
                        + endpoint.hint(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException(ExitCode.FAILURE, "interrupted", e);
            }
            if (response.statusCode() / 100 != 2) {
                String reason = field(response.body(), "error");
                throw new CliException(ExitCode.REMOTE_ERROR, "peer at " + address + " answered " + response.statusCode()
                        + ": " + (reason.isEmpty() ? response.body() : reason));
            }
            return response.body();
        }

        static String field(String json, String name) {
            try {
                return JSON.readTree(json).path(name).asText("");
            } catch (IOException e) {
                return "";
            }
        }

        static List<String> strings(String json, String name) {
            try {
                List<String> values = new java.util.ArrayList<>();
                JSON.readTree(json).path(name).forEach(n -> values.add(n.asText()));
                return values;
            } catch (IOException e) {
                throw new CliException(ExitCode.REMOTE_ERROR, "unexpected answer from the peer: " + json, e);
            }
        }
    }
}
