package io.fabsim.cli.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, so that a test can send any {@code Host} and {@code Origin} header
 * (the JDK's client does not let a caller set {@code Host}). By default a request looks like the
 * console's own page: Host and Origin of the console, JSON body.
 */
final class RawHttp {

    record Response(int status, String body) {
    }

    private final ConsoleServer console;
    private final String host;
    private final int port;

    RawHttp(ConsoleServer console) {
        this.console = console;
        URI url = URI.create(console.url());
        this.host = url.getHost();
        this.port = url.getPort();
    }

    Map<String, String> tokenHeaders() {
        return Map.of(ConsoleSecurity.TOKEN_HEADER, console.token());
    }

    /** {@code POST /api/actions} as the page sends it, with {@code headers} added or replacing the defaults. */
    Response post(String body, Map<String, String> headers) throws IOException {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("Host", host + ":" + port);
        all.put("Origin", "http://" + host + ":" + port);
        all.put("Content-Type", "application/json");
        all.putAll(headers);
        return send("POST", "/api/actions", all, body);
    }

    /** {@code GET path} with Host {@code hostHeader}. */
    Response get(String path, String hostHeader) throws IOException {
        return send("GET", path, Map.of("Host", hostHeader), "");
    }

    Response send(String method, String path, Map<String, String> headers, String body) throws IOException {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("Content-Length: ").append(content.length).append("\r\nConnection: close\r\n\r\n");
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(content);
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(response.substring(9, 12));
            int bodyStart = response.indexOf("\r\n\r\n");
            return new Response(status, bodyStart < 0 ? "" : response.substring(bodyStart + 4));
        }
    }
}
