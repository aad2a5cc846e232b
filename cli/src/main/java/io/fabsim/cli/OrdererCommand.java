package io.fabsim.cli;

import io.fabsim.common.config.ConfigReader;
import io.fabsim.common.config.HostPort;
import io.fabsim.common.operations.OperationsTls;
import io.fabsim.orderer.Orderer;
import io.fabsim.orderer.OrdererConfig;
import io.fabsim.orderer.OrdererException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fabsim orderer ...}: {@code start} runs an orderer until SIGTERM; {@code channel join}
 * joins a running orderer to a channel through its channel participation API.
 */
@Command(name = "orderer", mixinStandardHelpOptions = true, description = "Run an orderer, or join a running one to a channel.",
        subcommands = {OrdererCommand.Start.class, OrdererCommand.Channel.class})
public final class OrdererCommand {

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Start an orderer: serve every channel in its ledger until SIGTERM.")
    static final class Start implements Callable<Integer> {

        @Option(names = "--config", paramLabel = "FILE", description = "HOCON configuration file (conf/orderer.conf).")
        Path config;

        @Override
        public Integer call() throws InterruptedException {
            ConfigReader reader = OrdererConfig.load(Optional.ofNullable(config), System.getenv());
            reader.warnings().forEach(LoggerFactory.getLogger(Orderer.class)::warn);
            Orderer orderer;
            try {
                orderer = Orderer.start(OrdererConfig.from(reader));
            } catch (OrdererException e) {
                throw new CliException(ExitCode.FAILURE, e.getMessage(), e);
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                orderer.close();
                stopped.countDown();
            }, "orderer-shutdown"));
            stopped.await();
            return ExitCode.OK.code();
        }
    }

    @Command(name = "channel", mixinStandardHelpOptions = true, description = "Manage a running orderer's channels.",
            subcommands = Join.class)
    static final class Channel {
    }

    @Command(name = "join", mixinStandardHelpOptions = true,
            description = "Join a running orderer to a channel from its genesis block (POST /participation/v1/channels).")
    static final class Join implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = {"--block", "-b"}, required = true, paramLabel = "FILE", description = "The channel's genesis block.")
        Path block;

        @Option(names = "--admin", paramLabel = "HOST:PORT",
                description = "The orderer's admin address (default: Admin.ListenAddress, else Operations.ListenAddress, of --config).")
        String admin;

        @Option(names = "--config", paramLabel = "FILE", description = "The orderer's configuration file, to find its admin address.")
        Path config;

        @Mixin
        AdminTls tls;

        @Override
        public Integer call() throws InterruptedException {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(block);
            } catch (IOException e) {
                throw new CliException(ExitCode.FAILURE, "cannot read block file " + block + ": " + e.getMessage(), e);
            }
            OrdererConfig orderer = OrdererConfig.from(
                    OrdererConfig.load(Optional.ofNullable(config), System.getenv()));
            HostPort address = adminAddress(orderer);
            // the admin API is on Admin.ListenAddress (with Admin.TLS) when set, else on the operations endpoint
            Optional<OperationsTls> nodeTls = config == null ? Optional.empty()
                    : orderer.adminListen().isPresent() ? orderer.adminTls() : orderer.operationsTls();
            AdminTls.Endpoint endpoint = tls.endpoint(address, nodeTls);
            HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint.base() + "/participation/v1/channels"))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
            HttpResponse<String> response;
            try {
                response = endpoint.client().send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new CliException(ExitCode.REMOTE_ERROR, "cannot reach the orderer's admin API at " + address + ": " + e.getMessage()
                        + endpoint.hint(), e);
            }
            if (response.statusCode() != 201) {
                throw new CliException(ExitCode.REMOTE_ERROR, "join refused (HTTP " + response.statusCode() + "): " + response.body());
            }
            spec.commandLine().getOut().println("Status: 201\n" + response.body());
            return ExitCode.OK.code();
        }

        private HostPort adminAddress(OrdererConfig orderer) {
            if (admin != null) {
                try {
                    return HostPort.parse(admin);
                } catch (IllegalArgumentException e) {
                    throw new CliException(ExitCode.USAGE, "--admin: expected host:port, got \"" + admin + "\"");
                }
            }
            return orderer.adminListen().orElse(orderer.operationsListen());
        }
    }
}
