package io.fabsim.cli.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabsim.cli.network.NetworkControl;
import io.fabsim.common.config.HostPort;
import io.fabsim.common.time.Clock;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code fabsim network console}: a single-page web console for the running network in a
 * directory, on the JDK's HTTP server. {@code GET /} is the page (carrying the per-run token),
 * {@code /assets/*} its script and style sheet, {@code GET /events} the Server-Sent Events of the
 * one {@link ConsoleSampler}, and {@code POST /api/actions} the faults ({@link ConsoleActions}).
 * Every request is checked by {@link ConsoleSecurity}; answers carry a strict Content-Security-Policy
 * and may not be framed. Binds to loopback unless told to allow remote use.
 */
public final class ConsoleServer implements AutoCloseable {

    /** How often the sampler reads the network. */
    public static final Duration INTERVAL = Duration.ofMillis(500);
    private static final int MAX_PAGES = 8;
    private static final int MAX_BODY = 4096;
    private static final Map<String, String> ASSETS = Map.of("console.js", "text/javascript; charset=utf-8",
            "console.css", "text/css; charset=utf-8");
    private static final Logger log = LoggerFactory.getLogger(ConsoleServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer http;
    private final ExecutorService executor;
    private final ConsoleSecurity security;
    private final ConsoleSampler sampler;
    private final ConsoleActions actions;
    private final AtomicInteger pages = new AtomicInteger();

    private ConsoleServer(HttpServer http, ExecutorService executor, ConsoleSecurity security, ConsoleSampler sampler,
                          ConsoleActions actions) {
        this.http = http;
        this.executor = executor;
        this.security = security;
        this.sampler = sampler;
        this.actions = actions;
    }

    /**
     * Starts the console for the network in {@code dir} on {@code listen} (port 0: a free port).
     * A non-loopback address is refused unless {@code allowRemote}.
     */
    public static ConsoleServer start(Path dir, HostPort listen, boolean allowRemote, Clock clock) throws IOException {
        InetSocketAddress address = new InetSocketAddress(listen.host(), listen.port());
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("--listen " + listen + ": cannot resolve host " + listen.host());
        }
        if (!address.getAddress().isLoopbackAddress() && !allowRemote) {
            throw new IllegalArgumentException("--listen " + listen + ": not a loopback address; the console can kill "
                    + "every process of the network, so binding elsewhere needs --allow-remote");
        }
        NetworkControl control = new NetworkControl(dir, clock);
        control.state(); // fails now, with the reason, when DIR holds no network
        HttpServer http = HttpServer.create(address, 16);
        AtomicInteger ids = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(MAX_PAGES + 4, r -> {
            Thread t = new Thread(r, "console-http-" + ids.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(executor);
        long start = clock.nanoTime();
        ActionLog log = new ActionLog();
        ConsoleSecurity security = ConsoleSecurity.forAddress((InetSocketAddress) http.getAddress());
        ConsoleSampler sampler = new ConsoleSampler(control, clock, start, INTERVAL, log).start();
        ConsoleServer server = new ConsoleServer(http, executor, security, sampler,
                new ConsoleActions(control, log, clock, start));
        http.createContext("/", server::handle);
        http.start();
        ConsoleServer.log.info("Console for {} on {}", dir, server.url());
        return server;
    }

    /** {@code http://host:port/} as bound. */
    public String url() {
        InetSocketAddress a = http.getAddress();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/";
    }

    /** The per-run token, which the page carries (tests of the API need it too). */
    public String token() {
        return security.token();
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            try {
                route(exchange);
            } catch (RuntimeException e) {
                log.warn("Console: {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                error(exchange, 500, "console error: " + e);
            }
        } catch (IOException e) {
            log.debug("Console: {} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.getMessage());
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        var badHost = security.checkHost(exchange.getRequestHeaders().getFirst("Host"));
        if (badHost.isPresent()) {
            error(exchange, 403, badHost.get());
            return;
        }
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        if (path.equals("/api/actions")) {
            if (!method.equals("POST")) {
                error(exchange, 405, "use POST on /api/actions");
                return;
            }
            action(exchange);
        } else if (!method.equals("GET")) {
            error(exchange, 405, "use GET on " + path);
        } else if (path.equals("/")) {
            String page = resource("index.html").replace("{{TOKEN}}", security.token());
            send(exchange, 200, "text/html; charset=utf-8", page);
        } else if (path.startsWith("/assets/") && ASSETS.containsKey(path.substring(8))) {
            send(exchange, 200, ASSETS.get(path.substring(8)), resource(path.substring(8)));
        } else if (path.equals("/events")) {
            events(exchange);
        } else {
            error(exchange, 404, "nothing at " + path);
        }
    }

    private void action(HttpExchange exchange) throws IOException {
        var headers = exchange.getRequestHeaders();
        var refused = security.checkAction(headers.getFirst("Host"), headers.getFirst("Origin"),
                headers.getFirst(ConsoleSecurity.TOKEN_HEADER));
        if (refused.isPresent()) {
            error(exchange, 403, refused.get());
            return;
        }
        String type = headers.getFirst("Content-Type");
        if (type == null || !type.toLowerCase().startsWith("application/json")) {
            error(exchange, 415, "expected Content-Type application/json, got " + type);
            return;
        }
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_BODY + 1);
        }
        if (body.length > MAX_BODY) {
            error(exchange, 413, "request larger than " + MAX_BODY + " bytes");
            return;
        }
        try {
            ConsoleActions.Request request = ConsoleActions.parse(body);
            String done = actions.run(request, sampler.loadEnabled(request.node()));
            sampler.sample();
            send(exchange, 200, "application/json", JSON.writeValueAsString(Map.of("message", done)));
        } catch (ConsoleRequestException e) {
            error(exchange, e.status(), e.getMessage());
        } catch (IOException e) {
            error(exchange, 502, "the action failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error(exchange, 503, "the console is stopping");
        }
    }

    private void events(HttpExchange exchange) throws IOException {
        if (pages.incrementAndGet() > MAX_PAGES) {
            pages.decrementAndGet();
            error(exchange, 503, "too many open consoles (" + MAX_PAGES + "); close one");
            return;
        }
        BlockingQueue<String> queue = sampler.subscribe();
        try {
            headers(exchange, "text/event-stream; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            while (sampler.isSubscribed(queue)) {
                String frame = queue.poll(1, TimeUnit.SECONDS);
                out.write((frame != null ? frame : ": idle\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            sampler.unsubscribe(queue);
            pages.decrementAndGet();
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ConsoleServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("console resource " + name + " missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void headers(HttpExchange exchange, String contentType) {
        var h = exchange.getResponseHeaders();
        h.set("Content-Type", contentType);
        h.set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'");
        h.set("X-Frame-Options", "DENY");
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Referrer-Policy", "no-referrer");
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        headers(exchange, contentType);
        if (!contentType.startsWith("text/html")) {
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
        }
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static void error(HttpExchange exchange, int status, String reason) throws IOException {
        send(exchange, status, "application/json", JSON.writeValueAsString(Map.of("error", reason)));
    }

    @Override
    public void close() {
        sampler.close();
        http.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("Console stopped");
    }
}
