package io.fabsim.cli.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabsim.common.config.ConfigLoader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Calls a network orderer's admin API (plain HTTP, as {@code network up} configures it) on the
 * address its config file names: {@code Admin.ListenAddress}, else {@code Operations.ListenAddress}.
 * Block cutting per channel ({@code /admin/v1/channels/<ch>/pause|resume}) and the load source's
 * rate ({@code /admin/v1/load}).
 */
final class OrdererAdmin {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final NetworkState.Node orderer;
    private final String address;

    OrdererAdmin(NetworkState.Node orderer) {
        this.orderer = orderer;
        var reader = ConfigLoader.load(Optional.of(Path.of(orderer.configFile())), Map.of(), List.of());
        this.address = reader.optionalString("Admin.ListenAddress").orElse(orderer.operationsAddress());
    }

    /** {@code POST /admin/v1/channels/<channel>/<call>}, call being pause or resume; the channel's info. */
    JsonNode cutting(String channel, String call) throws IOException, InterruptedException {
        return send("POST", "/admin/v1/channels/" + channel + "/" + call, HttpRequest.BodyPublishers.noBody());
    }

    /** {@code GET /participation/v1/channels/<channel>}: name, consensusRelation, status (active, paused, errored), height. */
    JsonNode channel(String channel) throws IOException, InterruptedException {
        return send("GET", "/participation/v1/channels/" + channel, HttpRequest.BodyPublishers.noBody());
    }

    /** {@code GET /admin/v1/load}: enabled, rate, txSize, submitted. */
    JsonNode load() throws IOException, InterruptedException {
        return send("GET", "/admin/v1/load", HttpRequest.BodyPublishers.noBody());
    }

    /** {@code PUT /admin/v1/load {"rate": rate}}. */
    JsonNode setLoadRate(int rate) throws IOException, InterruptedException {
        return send("PUT", "/admin/v1/load", HttpRequest.BodyPublishers.ofString("{\"rate\": " + rate + "}"));
    }

    private JsonNode send(String method, String path, HttpRequest.BodyPublisher body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + address + path)).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json").method(method, body).build();
        HttpResponse<String> response;
        try {
            response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IOException(orderer.name() + ": admin " + method + " " + path + " at " + address + " failed: "
                    + e.getMessage(), e);
        }
        if (response.statusCode() != 200) {
            throw new IOException(orderer.name() + ": admin " + method + " " + path + ": HTTP " + response.statusCode() + " "
                    + response.body());
        }
        return JSON.readTree(response.body());
    }
}
