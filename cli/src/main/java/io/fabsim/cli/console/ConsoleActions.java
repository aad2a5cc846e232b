package io.fabsim.cli.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabsim.cli.network.NetworkControl;
import io.fabsim.cli.network.NetworkState;
import io.fabsim.common.time.Clock;
import io.fabsim.orderer.chain.LoadSource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's actions: a request is parsed and checked against {@code network.json} before
 * anything is done (unknown node, unknown action, an action the node cannot take: refused with a
 * 4xx and the reason, nothing changed), then carried out by {@link NetworkControl}, the same code
 * as the {@code network} verbs, and logged with its time. One action at a time.
 */
final class ConsoleActions {

    private static final Logger log = LoggerFactory.getLogger(ConsoleActions.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One parsed request: {@code {"action": "kill", "node": "peer0.org1"}}, plus channel or rate where needed. */
    record Request(Action action, String node, String channel, int rate) {
    }

    /** Whether {@code action} is possible on a node now, and if not, why. */
    record Availability(String action, String label, boolean enabled, String reason) {
    }

    private final NetworkControl control;
    private final ActionLog actions;
    private final Clock clock;
    private final long startNanos;

    /** {@code startNanos}: the console's start on {@code clock}, from which the log's times count. */
    ConsoleActions(NetworkControl control, ActionLog actions, Clock clock, long startNanos) {
        this.control = control;
        this.actions = actions;
        this.clock = clock;
        this.startNanos = startNanos;
    }

    static Request parse(byte[] body) throws ConsoleRequestException {
        JsonNode json;
        try {
            json = body.length == 0 ? null : JSON.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ConsoleRequestException(400, "malformed request: expected a JSON object such as "
                    + "{\"action\": \"kill\", \"node\": \"peer0.org1\"}: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConsoleRequestException(400, "malformed request: " + e.getMessage());
        }
        if (json == null || !json.isObject()) {
            throw new ConsoleRequestException(400, "malformed request: expected a JSON object with action and node, got "
                    + (json == null ? "an empty body" : json.toString()));
        }
        String actionName = text(json, "action");
        Action action = Action.of(actionName).orElseThrow(() -> new ConsoleRequestException(400, "unknown action \""
                + actionName + "\"; expected one of " + List.of(Action.values()).stream().map(Action::wire).toList()));
        String node = text(json, "node");
        String channel = action.perChannel() ? text(json, "channel") : "";
        int rate = 0;
        if (action == Action.LOAD_RATE) {
            JsonNode r = json.get("rate");
            if (r == null || !r.isIntegralNumber() || !r.canConvertToInt() || r.intValue() < 0
                    || r.intValue() > LoadSource.MAX_RATE) {
                throw new ConsoleRequestException(400, "rate: expected an integer from 0 to " + LoadSource.MAX_RATE
                        + " (transactions per second per channel), got " + (r == null ? "nothing" : r.toString()));
            }
            rate = r.intValue();
        }
        return new Request(action, node, channel, rate);
    }

    private static String text(JsonNode json, String field) throws ConsoleRequestException {
        JsonNode value = json.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new ConsoleRequestException(400, "malformed request: \"" + field + "\" must be a non-empty string, got "
                    + (value == null ? "nothing" : value.toString()));
        }
        return value.asText();
    }

    /** Refuses what cannot be done, before anything is done. */
    static void check(Request request, NetworkState state, boolean loadEnabled) throws ConsoleRequestException {
        NetworkState.Node node = state.node(request.node()).orElseThrow(() -> new ConsoleRequestException(404,
                "no node named \"" + request.node() + "\" in network.json; nodes: "
                        + state.processes().stream().map(NetworkState.Node::name).toList()));
        if (request.action().perChannel() && !node.channels().contains(request.channel())) {
            throw new ConsoleRequestException(400, "channel \"" + request.channel() + "\": " + node.name()
                    + " has channels " + node.channels());
        }
        Availability a = availability(request.action(), node, state, loadEnabled);
        if (!a.enabled()) {
            throw new ConsoleRequestException(409, request.action().wire() + " " + node.name() + ": " + a.reason());
        }
    }

    /** Every action the node's role has, each enabled or not with the reason. */
    static List<Availability> availability(NetworkState.Node node, NetworkState state, boolean loadEnabled) {
        List<Availability> all = new ArrayList<>();
        for (Action action : Action.values()) {
            if (action.appliesTo(node.isPeer())) {
                all.add(availability(action, node, state, loadEnabled));
            }
        }
        return all;
    }

    private static Availability availability(Action action, NetworkState.Node node, NetworkState state, boolean loadEnabled) {
        Optional<String> why = switch (action) {
            case PARTITION, HEAL -> state.netnsSlot(node.name()).isPresent() ? Optional.empty()
                    : Optional.of(node.isPeer() ? "needs a network started with network.netns = true (each peer in its own "
                            + "network namespace)" : "orderers have no network namespace of their own");
            case LOAD_RATE -> loadEnabled ? Optional.empty() : Optional.of("this orderer runs no load source "
                    + "(orderer.load.enabled = false)");
            case KILL, PAUSE, RESUME, PAUSE_CUTTING, RESUME_CUTTING -> node.pid() > 0 ? Optional.empty()
                    : Optional.of("not running (restart it first)");
            case RESTART -> Optional.empty();
        };
        if (!action.appliesTo(node.isPeer())) {
            why = Optional.of(action.wire() + " applies to " + (node.isPeer() ? "orderers" : "peers") + " only");
        }
        return new Availability(action.wire(), action.label(), why.isEmpty(), why.orElse(""));
    }

    /** Checks and carries out {@code request}; returns what was done. Logged either way once it was tried. */
    synchronized String run(Request request, boolean loadEnabled) throws ConsoleRequestException, IOException,
            InterruptedException {
        check(request, control.state(), loadEnabled);
        String detail = request.action().perChannel() ? "channel " + request.channel()
                : request.action() == Action.LOAD_RATE ? request.rate() + " tx/s per channel" : "";
        long at = (clock.nanoTime() - startNanos) / 1_000_000;
        try {
            String done = carryOut(request);
            actions.add(new ActionLog.Entry(at, clock.now().toString(), request.action().wire(), request.node(), detail, true, done));
            log.info("Console: {}", done);
            return done;
        } catch (IOException e) {
            actions.add(new ActionLog.Entry(at, clock.now().toString(), request.action().wire(), request.node(), detail, false,
                    e.getMessage()));
            log.warn("Console: {} {} failed: {}", request.action().wire(), request.node(), e.getMessage());
            throw e;
        }
    }

    private String carryOut(Request r) throws IOException, InterruptedException {
        String node = r.node();
        switch (r.action()) {
            case KILL -> control.kill(node);
            case PAUSE -> control.pause(node);
            case RESUME -> control.resume(node);
            case RESTART -> {
                return "restarted " + node + " as pid " + control.restart(node);
            }
            case PARTITION -> control.partition(node);
            case HEAL -> control.heal(node);
            case PAUSE_CUTTING -> control.pauseCutting(node, r.channel());
            case RESUME_CUTTING -> control.resumeCutting(node, r.channel());
            case LOAD_RATE -> {
                control.setLoadRate(node, r.rate());
                return "load rate of " + node + " set to " + r.rate() + " tx/s per channel";
            }
            default -> throw new IllegalStateException("unhandled action " + r.action());
        }
        return switch (r.action()) {
            case KILL -> "killed " + node + " (kill -9)";
            case PAUSE -> "paused " + node + " (SIGSTOP)";
            case RESUME -> "resumed " + node + " (SIGCONT)";
            case PARTITION -> "partitioned " + node + " (link down)";
            case HEAL -> "healed " + node + " (link up)";
            case PAUSE_CUTTING -> "paused block cutting of " + r.channel() + " on " + node;
            default -> "resumed block cutting of " + r.channel() + " on " + node;
        };
    }
}
