package io.fabsim.common.operations;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One HTTP request to the operations server, independent of the HTTP library: method (upper case),
 * path, decoded query parameters (last value wins) and the body.
 */
public record OperationsRequest(String method, String path, Map<String, String> query, byte[] body) {

    public OperationsRequest {
        query = Map.copyOf(query);
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
