package io.fabsim.orderer;

import io.fabsim.common.operations.OperationsException;
import io.fabsim.common.operations.OperationsRequest;
import io.fabsim.common.operations.OperationsResponse;
import io.fabsim.deliverserver.DeliverChain;
import io.fabsim.orderer.chain.Chain;
import io.fabsim.orderer.chain.Chains;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hyperledger.fabric.protos.common.Block;

/**
 * The orderer's admin HTTP API.
 *
 * <p>Channel participation, after Fabric's {@code /participation/v1/channels}:
 * {@code GET /participation/v1/channels} lists channels; {@code GET .../channels/<id>} gives one
 * ({@code name, url, consensusRelation, status, height}); {@code POST .../channels} joins a channel
 * from its genesis block, sent either as the raw block bytes or, as Fabric's {@code osnadmin}
 * sends it, as multipart/form-data with the block in the part {@code config-block}: 201 with the
 * channel's info, 405 when the channel exists, 400 for a bad block.
 *
 * <p>Fault injection for tests: {@code POST /admin/v1/channels/<id>/errored} marks the channel
 * errored (Deliver and Broadcast answer {@code SERVICE_UNAVAILABLE}; the body, if any, is the
 * reason), {@code DELETE} on the same path clears it; {@code POST .../pause} stops block cutting and
 * {@code POST .../resume} restarts it. Each answers 200 with the channel's info.
 */
final class OrdererAdminApi {

    static final String PARTICIPATION = "/participation/v1/channels";
    static final String FAULTS = "/admin/v1/channels";

    private final Chains chains;

    OrdererAdminApi(Chains chains) {
        this.chains = chains;
    }

    OperationsResponse participation(OperationsRequest request) throws Exception {
        String rest = request.path().substring(PARTICIPATION.length());
        if (rest.isEmpty() || rest.equals("/")) {
            return switch (request.method()) {
                case "GET" -> OperationsResponse.json(200, Map.of("systemChannel", "", "channels", list()));
                case "POST" -> join(request);
                default -> throw new OperationsException(405, "method " + request.method() + " not allowed on " + PARTICIPATION);
            };
        }
        if (!request.method().equals("GET")) {
            throw new OperationsException(405, "method " + request.method() + " not allowed on " + request.path());
        }
        return OperationsResponse.json(200, info(rest.substring(1)));
    }

    OperationsResponse faults(OperationsRequest request) {
        String[] parts = request.path().substring(FAULTS.length()).split("/");
        if (parts.length != 3 || !parts[0].isEmpty()) {
            throw new OperationsException(404, "expected " + FAULTS + "/<channel>/{errored|pause|resume}, got " + request.path());
        }
        String channelId = parts[1];
        DeliverChain chain = chains.chain(channelId)
                .orElseThrow(() -> new OperationsException(404, "channel " + channelId + " not found"));
        switch (parts[2] + " " + request.method()) {
            case "errored POST" -> chain.errorSignal().raise(request.body().length == 0 ? "marked errored by an admin"
                    : request.bodyText());
            case "errored DELETE" -> chain.errorSignal().clear();
            case "pause POST" -> ordering(channelId).pause();
            case "resume POST" -> ordering(channelId).resume();
            default -> throw new OperationsException(404, "no admin call " + request.method() + " " + request.path());
        }
        return OperationsResponse.json(200, info(channelId));
    }

    private Chain ordering(String channelId) {
        return chains.orderingChain(channelId)
                .orElseThrow(() -> new OperationsException(400, "channel " + channelId + " is not ordered here (follower)"));
    }

    private OperationsResponse join(OperationsRequest request) throws Exception {
        byte[] bytes = configBlock(request.body());
        Block genesis;
        try {
            genesis = Block.parseFrom(bytes);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new OperationsException(400, "cannot unmarshal the config block: " + e.getMessage());
        }
        if (!genesis.hasHeader() || genesis.getHeader().getNumber() != 0) {
            throw new OperationsException(400, "the config block must be a genesis block (number 0)");
        }
        String channelId;
        try {
            channelId = chains.join(genesis);
        } catch (io.fabsim.ledger.LedgerException e) {
            throw new OperationsException(405, "cannot join: " + e.getMessage());
        } catch (io.fabsim.common.configtx.ConfigTxException e) {
            throw new OperationsException(400, "invalid config block: " + e.getMessage());
        }
        if (chains.orderingChain(channelId).isEmpty()) {
            // A follower replicates the channel from its source before it is current: Fabric's "onboarding".
            Map<String, Object> info = info(channelId);
            info.put("status", "onboarding");
            return OperationsResponse.json(201, info);
        }
        return OperationsResponse.json(201, info(channelId));
    }

    private List<Map<String, Object>> list() {
        List<Map<String, Object>> channels = new ArrayList<>();
        for (String channelId : chains.all().keySet()) {
            channels.add(Map.of("name", channelId, "url", PARTICIPATION + "/" + channelId));
        }
        return channels;
    }

    private Map<String, Object> info(String channelId) {
        DeliverChain chain = chains.chain(channelId)
                .orElseThrow(() -> new OperationsException(404, "channel " + channelId + " not found"));
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("name", channelId);
        info.put("url", PARTICIPATION + "/" + channelId);
        info.put("consensusRelation", chain instanceof Chain ? "consenter" : "follower");
        info.put("status", chain.errorSignal().isErrored() ? "errored"
                : chain instanceof Chain c && c.isPaused() ? "paused" : "active");
        info.put("height", chain.blocks().height());
        return info;
    }

    /** The block bytes of a join request: the raw body, or the {@code config-block} part of a multipart body. */
    static byte[] configBlock(byte[] body) {
        if (body.length < 2 || body[0] != '-' || body[1] != '-') {
            return body;
        }
        int lineEnd = indexOf(body, "\r\n".getBytes(StandardCharsets.US_ASCII), 0);
        if (lineEnd < 0) {
            throw new OperationsException(400, "malformed multipart body");
        }
        byte[] boundary = ("\r\n" + new String(body, 0, lineEnd, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII);
        int partStart = 0;
        while (partStart >= 0) {
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), partStart);
            if (headersEnd < 0) {
                break;
            }
            String headers = new String(body, partStart, headersEnd - partStart, StandardCharsets.ISO_8859_1);
            int contentStart = headersEnd + 4;
            int contentEnd = indexOf(body, boundary, contentStart);
            if (contentEnd < 0) {
                break;
            }
            if (headers.contains("name=\"config-block\"")) {
                return Arrays.copyOfRange(body, contentStart, contentEnd);
            }
            partStart = contentEnd + boundary.length;
        }
        throw new OperationsException(400, "multipart body has no config-block part");
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
