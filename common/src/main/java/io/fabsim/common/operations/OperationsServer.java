package io.fabsim.common.operations;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.fabsim.common.config.HostPort;
import io.fabsim.common.log.Mdc;
import io.fabsim.common.time.Clock;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations endpoint of a fabsim process, after Fabric's operations service:
 *
 * <ul>
 *   <li>{@code GET /healthz}: {@code {"status":"OK","time":...}}, or 503 with
 *       {@code "status":"Service Unavailable"} and {@code failed_checks} (component, reason), from
 *       the registered {@link HealthChecker}s;</li>
 *   <li>{@code GET /metrics}: the Prometheus registry in the text exposition format;</li>
 *   <li>{@code GET /status}: the JSON of the registered status supplier;</li>
 *   <li>{@code GET /logspec} ({@code {"spec":...}}) and {@code PUT /logspec} with
 *       {@code {"spec":"info:io.fabsim.gossip=debug"}} (see {@link LogSpec}): 204, or 400 with
 *       {@code {"error":...}};</li>
 *   <li>extra routes added with {@link #addHandler} (admin APIs), at any time.</li>
 * </ul>
 *
 * HTTP, or HTTPS with {@link OperationsTls}, on the JDK's server; the bound port is {@link #port()} (listen port 0 picks a free one).
 */
public final class OperationsServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OperationsServer.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final Clock clock;
    private final PrometheusRegistry registry;
    private final ExpositionFormats formats = ExpositionFormats.init();
    private final Map<String, HealthChecker> checkers = new ConcurrentHashMap<>();
    private final Map<String, OperationsHandler> handlers = new ConcurrentHashMap<>();
    private final LogLevels logLevels = new LogLevels();
    private volatile Supplier<?> status = () -> Map.of();

    private OperationsServer(HttpServer server, ExecutorService executor, Clock clock, PrometheusRegistry registry) {
        this.server = server;
        this.executor = executor;
        this.clock = clock;
        this.registry = registry;
    }

    /**
     * Binds {@code listen} and starts serving. A port that cannot be bound fails with an
     * {@link UncheckedIOException} naming the address.
     */
    public static OperationsServer start(HostPort listen, PrometheusRegistry registry, Clock clock) {
        return start(listen, Optional.empty(), registry, clock);
    }

    /**
     * Binds {@code listen} and starts serving, over HTTPS when {@code tls} is given (mutual TLS when
     * it requires client certificates). A port that cannot be bound fails with an
     * {@link UncheckedIOException} naming the address; unreadable TLS files fail naming the file.
     */
    public static OperationsServer start(HostPort listen, Optional<OperationsTls> tls, PrometheusRegistry registry,
            Clock clock) {
        HttpServer http;
        try {
            InetSocketAddress address = new InetSocketAddress(listen.host(), listen.port());
            if (tls.isPresent()) {
                HttpsServer https = HttpsServer.create(address, 50);
                https.setHttpsConfigurator(configurator(tls.get()));
                http = https;
            } else {
                http = HttpServer.create(address, 50);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("operations server: cannot listen on " + listen + ": " + e.getMessage(), e);
        }
        // its threads carry the starting thread's MDC (the peer's or orderer's name)
        ExecutorService executor = Executors.newFixedThreadPool(2, Mdc.daemonThreads("operations-http"));
        OperationsServer ops = new OperationsServer(http, executor, clock, registry);
        http.setExecutor(executor);
        http.createContext("/", ops::dispatch);
        http.start();
        log.info("Operations server listening on {} ({})", ops.address(), tls.map(t -> t.clientAuthRequired()
                ? "HTTPS, client certificates required" : "HTTPS").orElse("HTTP"));
        return ops;
    }

    private static HttpsConfigurator configurator(OperationsTls tls) {
        SSLContext context = tls.serverContext();
        return new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = context.getDefaultSSLParameters();
                parameters.setNeedClientAuth(tls.clientAuthRequired());
                params.setSSLParameters(parameters);
            }
        };
    }

    /** The port actually bound. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code host:port} actually bound. */
    public HostPort address() {
        InetSocketAddress a = server.getAddress();
        return new HostPort(a.getAddress().getHostAddress(), a.getPort());
    }

    /** Adds (or replaces) the health check named {@code component}. */
    public void registerChecker(String component, HealthChecker checker) {
        checkers.put(Objects.requireNonNull(component), Objects.requireNonNull(checker));
    }

    /** Sets what {@code GET /status} serializes (called on each request; must be thread-safe). */
    public void setStatus(Supplier<?> supplier) {
        this.status = Objects.requireNonNull(supplier);
    }

    /**
     * Adds a route for {@code path} and every path under it (e.g. {@code /participation/v1/channels}
     * also serves {@code /participation/v1/channels/ch1}). The built-in routes cannot be replaced.
     */
    public void addHandler(String path, OperationsHandler handler) {
        if (!path.startsWith("/") || path.length() < 2 || path.endsWith("/")) {
            throw new IllegalArgumentException("handler path must look like /a/b, got \"" + path + "\"");
        }
        if (builtIn(path) != null) {
            throw new IllegalArgumentException("handler path " + path + " is built in");
        }
        handlers.put(path, Objects.requireNonNull(handler));
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        log.info("Operations server on {} stopped", address());
    }

    private void dispatch(HttpExchange exchange) {
        OperationsResponse response;
        try {
            OperationsRequest request = request(exchange);
            response = route(request);
        } catch (OperationsException e) {
            response = OperationsResponse.error(e.status(), e.getMessage());
        } catch (Exception e) {
            log.warn("Operations request {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            response = OperationsResponse.error(500, String.valueOf(e.getMessage()));
        }
        send(exchange, response);
    }

    private OperationsResponse route(OperationsRequest request) throws Exception {
        OperationsHandler builtIn = builtIn(request.path());
        if (builtIn != null) {
            return builtIn.handle(request);
        }
        String best = null;
        for (String path : handlers.keySet()) {
            boolean matches = request.path().equals(path) || request.path().startsWith(path + "/");
            if (matches && (best == null || path.length() > best.length())) {
                best = path;
            }
        }
        if (best == null) {
            return OperationsResponse.error(404, "no such endpoint: " + request.path());
        }
        return handlers.get(best).handle(request);
    }

    private OperationsHandler builtIn(String path) {
        return switch (path) {
            case "/healthz" -> get(this::healthz);
            case "/metrics" -> get(r -> metrics());
            case "/status" -> get(r -> OperationsResponse.json(200, status.get()));
            case "/logspec" -> this::logspec;
            default -> null;
        };
    }

    private static OperationsHandler get(OperationsHandler handler) {
        return request -> {
            if (!request.method().equals("GET")) {
                throw new OperationsException(405, "method " + request.method() + " not allowed, expected GET");
            }
            return handler.handle(request);
        };
    }

    private OperationsResponse healthz(OperationsRequest request) {
        java.util.List<Map<String, String>> failed = new java.util.ArrayList<>();
        for (Map.Entry<String, HealthChecker> entry : new java.util.TreeMap<>(checkers).entrySet()) {
            String reason;
            try {
                reason = entry.getValue().check().orElse(null);
            } catch (RuntimeException e) {
                reason = String.valueOf(e.getMessage());
            }
            if (reason != null) {
                failed.add(Map.of("component", entry.getKey(), "reason", reason));
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", failed.isEmpty() ? "OK" : "Service Unavailable");
        body.put("time", clock.now().toString());
        if (!failed.isEmpty()) {
            body.put("failed_checks", failed);
        }
        return OperationsResponse.json(failed.isEmpty() ? 200 : 503, body);
    }

    private OperationsResponse metrics() throws IOException {
        ExpositionFormatWriter writer = formats.getPrometheusTextFormatWriter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(out, registry.scrape());
        return new OperationsResponse(200, writer.getContentType(), out.toByteArray());
    }

    private OperationsResponse logspec(OperationsRequest request) {
        switch (request.method()) {
            case "GET":
                return OperationsResponse.json(200, Map.of("spec", logLevels.current()));
            case "PUT":
                String spec;
                try {
                    spec = OperationsResponse.JSON.readTree(request.body()).path("spec").asText("");
                } catch (IOException e) {
                    throw new OperationsException(400, "bad body: expected {\"spec\":\"...\"}: " + e.getMessage());
                }
                LogSpec parsed;
                try {
                    parsed = LogSpec.parse(spec);
                } catch (IllegalArgumentException e) {
                    throw new OperationsException(400, e.getMessage());
                }
                logLevels.apply(parsed);
                log.info("Log specification changed to {}", parsed.spec());
                return OperationsResponse.noContent();
            default:
                throw new OperationsException(405, "method " + request.method() + " not allowed, expected GET or PUT");
        }
    }

    private static OperationsRequest request(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(16 * 1024 * 1024);
        }
        URI uri = exchange.getRequestURI();
        return new OperationsRequest(exchange.getRequestMethod().toUpperCase(java.util.Locale.ROOT), uri.getPath(),
                query(uri.getRawQuery()), body);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> result = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return result;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            result.put(key, value);
        }
        return result;
    }

    private static void send(HttpExchange exchange, OperationsResponse response) {
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
            byte[] body = response.body();
            boolean empty = body.length == 0 || response.status() == 204;
            exchange.sendResponseHeaders(response.status(), empty ? -1 : body.length);
            if (!empty) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (IOException e) {
            log.debug("Operations response to {} not sent: {}", exchange.getRemoteAddress(), e.getMessage());
        }
    }
}
