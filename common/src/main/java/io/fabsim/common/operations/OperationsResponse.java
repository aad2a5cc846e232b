package io.fabsim.common.operations;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** One HTTP response from an operations handler: status, content type and body. */
public record OperationsResponse(int status, String contentType, byte[] body) {

    static final ObjectMapper JSON = new ObjectMapper();

    public OperationsResponse {
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** {@code value} serialized with Jackson (records, maps, lists). */
    public static OperationsResponse json(int status, Object value) {
        try {
            return new OperationsResponse(status, "application/json", JSON.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialize " + value.getClass().getName() + " as JSON", e);
        }
    }

    /** Fabric's error body: {@code {"error":"..."}}. */
    public static OperationsResponse error(int status, String message) {
        return json(status, Map.of("error", message));
    }

    public static OperationsResponse text(int status, String text) {
        return new OperationsResponse(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    public static OperationsResponse noContent() {
        return new OperationsResponse(204, "text/plain; charset=utf-8", new byte[0]);
    }
}
