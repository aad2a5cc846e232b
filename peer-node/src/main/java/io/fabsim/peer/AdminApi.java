package io.fabsim.peer;

import com.google.protobuf.InvalidProtocolBufferException;
import io.fabsim.common.operations.OperationsException;
import io.fabsim.common.operations.OperationsRequest;
import io.fabsim.common.operations.OperationsResponse;
import io.fabsim.ledger.ChainInfo;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hyperledger.fabric.protos.common.Block;

/**
 * The peer's admin API on the operations server, used by {@code fabsim peer channel ...}:
 *
 * <ul>
 *   <li>{@code POST /admin/v1/channels}, body = a genesis block (protobuf bytes): join; 201
 *       {@code {"channel","height"}}, 409 when already joined, 400 when not a valid config block;</li>
 *   <li>{@code GET /admin/v1/channels}: {@code {"channels":["ch1",...]}};</li>
 *   <li>{@code GET /admin/v1/channels/CH}: Fabric's {@code BlockchainInfo} as {@code peer channel
 *       getinfo} prints it ({@code {"height":N,"currentBlockHash":"base64","previousBlockHash":"base64"}},
 *       empty hashes omitted as Go's json omitempty does); 404 for a channel not joined.</li>
 * </ul>
 */
final class AdminApi {

    static final String PATH = "/admin/v1/channels";

    private final Channels channels;

    AdminApi(Channels channels) {
        this.channels = channels;
    }

    OperationsResponse handle(OperationsRequest request) {
        String rest = request.path().substring(PATH.length());
        if (rest.isEmpty() || rest.equals("/")) {
            return switch (request.method()) {
                case "GET" -> OperationsResponse.json(200,
                        Map.of("channels", channels.list().stream().map(PeerChannel::channelId).toList()));
                case "POST" -> join(request.body());
                default -> throw new OperationsException(405, "method " + request.method() + " not allowed, expected GET or POST");
            };
        }
        if (!request.method().equals("GET")) {
            throw new OperationsException(405, "method " + request.method() + " not allowed, expected GET");
        }
        String channelId = rest.substring(1);
        PeerChannel channel = channels.get(channelId).orElseThrow(
                () -> new OperationsException(404, "channel " + channelId + ": not joined by this peer"));
        return OperationsResponse.json(200, blockchainInfo(channel.store().info()));
    }

    /** Fabric's {@code BlockchainInfo} as Go's encoding/json writes it (bytes in base64, omitempty). */
    static Map<String, Object> blockchainInfo(ChainInfo info) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (info.height() != 0) {
            body.put("height", info.height());
        }
        if (info.currentBlockHash().length > 0) {
            body.put("currentBlockHash", Base64.getEncoder().encodeToString(info.currentBlockHash()));
        }
        if (info.previousBlockHash().length > 0) {
            body.put("previousBlockHash", Base64.getEncoder().encodeToString(info.previousBlockHash()));
        }
        return body;
    }

    private OperationsResponse join(byte[] body) {
        Block block;
        try {
            block = Block.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            throw new OperationsException(400, "the body is not a common.Block: " + e.getMessage());
        }
        try {
            PeerChannel channel = channels.join(block);
            return OperationsResponse.json(201, Map.of("channel", channel.channelId(), "height", channel.store().height()));
        } catch (ChannelJoinException e) {
            int status = switch (e.reason()) {
                case ALREADY_JOINED -> 409;
                case BAD_BLOCK -> 400;
                case FAILED -> 500;
            };
            throw new OperationsException(status, e.getMessage());
        }
    }
}
