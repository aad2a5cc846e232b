package io.fabsim.cli.scenario;

import java.util.ArrayList;
import java.util.List;

/**
 * What a scenario saw over time: status samples of every node and channel, and the faults it
 * injected. Times are milliseconds since the scenario started. Thread-safe: the sampler appends
 * while the scenario injects faults.
 */
public final class Timeline {

    /**
     * One node's view of one channel at one moment; {@code height} is -1 when the node did not answer;
     * {@code delivering}: its deliver client runs; {@code streaming}: its Deliver stream is open.
     */
    public record Sample(long atMillis, String channel, String node, String org, boolean peer, long height, boolean leader,
                         boolean delivering, boolean streaming) {
    }

    /** A fault or action: {@code kind} such as kill, pause, resume, restart, partition. */
    public record Event(long atMillis, String kind, String node, String detail) {
    }

    /**
     * The time from a fault ({@code fault}: kill, pause, partition, ...) on {@code from} until
     * {@code to} took over (another peer delivers, or the deliver client reads from another orderer).
     */
    public record Failover(String fault, String from, String to, long millis) {
    }

    private final List<Sample> samples = new ArrayList<>();
    private final List<Event> events = new ArrayList<>();

    public synchronized void add(Sample sample) {
        samples.add(sample);
    }

    public synchronized void add(Event event) {
        events.add(event);
    }

    public synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    public synchronized List<Event> events() {
        return List.copyOf(events);
    }
}
