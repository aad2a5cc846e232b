package io.fabsim.cli.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a chaos run found, written as {@code DIR/report.json} (and as a page, {@code DIR/report.html},
 * by {@link ChaosTimeline}): the settings and seed, notes (fault
 * kinds skipped and why), every fault as injected or skipped, the {@code violations}, the split
 * brain measured while views were unstable (not a violation), and a summary (faults by kind,
 * blocks verified offline). Rewritten after each epoch, so an interrupted run leaves its findings.
 */
public final class ChaosReport {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final ChaosPlan.Settings settings;
    private final Duration stableWindow;
    private final List<String> notes;
    private final Instant started;
    private final List<Nemesis.Outcome> outcomes = new ArrayList<>();
    private final List<Violation> violations = new ArrayList<>();
    private final List<Map<String, Object>> unstableSplitBrain = new ArrayList<>();
    private long blocksVerified;
    private int epochs;
    private Instant finished;
    private long durationMillis;

    ChaosReport(ChaosPlan.Settings settings, Duration stableWindow, List<String> notes, Instant started) {
        this.settings = settings;
        this.stableWindow = stableWindow;
        this.notes = List.copyOf(notes);
        this.started = started;
    }

    synchronized void addOutcomes(List<Nemesis.Outcome> epochOutcomes) {
        outcomes.addAll(epochOutcomes);
    }

    synchronized void addViolation(Violation v) {
        violations.add(v);
    }

    /** Two streaming peers: a violation in a stable view, a measurement otherwise. */
    synchronized void addEpisode(int epoch, long seed, LeaderCheck.Episode e) {
        if (e.stable()) {
            violations.add(new Violation("two-streaming-peers", epoch, e.startMillis(), e.endMillis(), e.channel(), e.org(),
                    List.copyOf(e.peers()), seed, e.peers() + " all streamed " + e.channel() + " for " + e.millis()
                    + " ms in a view stable for " + stableWindow.toMillis() + " ms"));
        } else {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", epoch);
            m.put("startMillis", e.startMillis());
            m.put("endMillis", e.endMillis());
            m.put("channel", e.channel());
            m.put("org", e.org());
            m.put("peers", List.copyOf(e.peers()));
            unstableSplitBrain.add(m);
        }
    }

    synchronized void addAudit(ChainAudit.Result audit) {
        blocksVerified += audit.blocks();
        violations.addAll(audit.violations());
        epochs++;
    }

    synchronized void finish(Instant at, long millis) {
        finished = at;
        durationMillis = millis;
    }

    public synchronized List<Violation> violations() {
        return List.copyOf(violations);
    }

    public synchronized long blocksVerified() {
        return blocksVerified;
    }

    /** Injected faults by kind label. */
    public synchronized Map<String, Long> injectedByKind() {
        Map<String, Long> byKind = new TreeMap<>();
        outcomes.stream().filter(Nemesis.Outcome::injected).forEach(o -> byKind.merge(o.fault().kind().label(), 1L, Long::sum));
        return byKind;
    }

    synchronized void write(Path dir) throws IOException {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("faultsByKind", injectedByKind());
        summary.put("faultsInjected", outcomes.stream().filter(Nemesis.Outcome::injected).count());
        summary.put("faultsSkipped", outcomes.stream().filter(o -> !o.injected()).count());
        summary.put("epochs", epochs);
        summary.put("blocksVerified", blocksVerified);
        summary.put("violations", violations.size());
        summary.put("splitBrainWhileUnstable", unstableSplitBrain.size());
        summary.put("longestSplitBrainWhileUnstableMillis", unstableSplitBrain.stream()
                .mapToLong(m -> (long) m.get("endMillis") - (long) m.get("startMillis")).max().orElse(0));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("seed", settings.seed());
        doc.put("duration", settings.duration().toString());
        doc.put("freshEvery", settings.freshEvery().toString());
        doc.put("faults", settings.kinds().stream().map(FaultKind::label).toList());
        doc.put("stableWindowMillis", stableWindow.toMillis());
        doc.put("started", started.toString());
        doc.put("finished", finished == null ? null : finished.toString());
        doc.put("durationMillis", durationMillis);
        doc.put("notes", notes);
        doc.put("summary", summary);
        doc.put("violations", violations);
        doc.put("splitBrainWhileUnstable", unstableSplitBrain);
        doc.put("injected", outcomes.stream().map(ChaosReport::outcome).toList());
        Files.createDirectories(dir);
        Path tmp = dir.resolve("report.json.tmp");
        JSON.writeValue(tmp.toFile(), doc);
        Files.move(tmp, dir.resolve("report.json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Path html = dir.resolve("report.html.tmp");
        Files.writeString(html, ChaosTimeline.render(new ChaosTimeline.Data(settings.seed(), injectedByKind(), blocksVerified,
                List.copyOf(outcomes), List.copyOf(violations), List.copyOf(unstableSplitBrain))));
        Files.move(html, dir.resolve("report.html"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Map<String, Object> outcome(Nemesis.Outcome o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", o.fault().epoch());
        m.put("plannedAtMillis", o.fault().atMillis());
        m.put("kind", o.fault().kind().label());
        m.put("target", o.fault().target().toString());
        m.put("holdMillis", o.fault().holdMillis());
        m.put("node", o.node());
        m.put("startMillis", o.startMillis());
        m.put("endMillis", o.endMillis());
        if (!o.injected()) {
            m.put("skipped", o.skipped());
        }
        return m;
    }
}
