package io.fabsim.cli.scenario;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * One channel of a scenario run as inline SVG: fault labels on top (stacked in rows so that none
 * overlaps another), then per organization one lane per peer (light where it reports leader, solid
 * where its deliver client runs) and a red lane where two or more of its peers delivered at once,
 * then every node's height; a time axis with ticks at a round step below; faults are dashed lines.
 */
public final class TimelineSvg {

    static final int WIDTH = 1200;
    static final int LEFT = 170;
    /** Room right of the plot, so that the label of a fault near the end still fits on its right. */
    static final int RIGHT = 130;
    static final int ROW = 14;
    private static final String[] COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2",
        "#7f7f7f", "#bcbd22", "#17becf", "#393b79"};
    private static final String RED = "#d62728";
    private static final int LANE = 14;
    private static final int PLOT = 160;
    /** Width of one character of an 11 px sans-serif label, generously. */
    private static final double CHAR = 6.6;
    /** Tick steps to choose from, in milliseconds. */
    private static final long[] STEPS = {100, 200, 500, 1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000,
        300_000, 600_000, 1_200_000, 1_800_000, 3_600_000};
    /** Least room for one tick label. */
    private static final int TICK_ROOM = 70;

    private final List<Timeline.Sample> samples;
    private final List<Timeline.Event> events;
    private final long start;
    private final long end;
    private final double scale;
    private final Map<String, String> colour = new LinkedHashMap<>();
    private final StringBuilder svg = new StringBuilder();

    private TimelineSvg(String channel, ScenarioResult r) {
        this.samples = r.samples().stream().filter(s -> s.channel().equals(channel)).toList();
        // the axis spans what was sampled (the network's start-up comes before the first sample)
        this.start = samples.stream().mapToLong(Timeline.Sample::atMillis).min().orElse(0);
        this.end = Math.max(start + 1, samples.stream().mapToLong(Timeline.Sample::atMillis).max().orElse(1));
        this.events = r.events().stream().filter(e -> e.atMillis() >= start && e.atMillis() <= end)
                .sorted(Comparator.comparingLong(Timeline.Event::atMillis)).toList();
        this.scale = (WIDTH - LEFT - RIGHT) / (double) (end - start);
        samples.stream().map(Timeline.Sample::node).distinct().sorted()
                .forEach(n -> colour.put(n, COLOURS[colour.size() % COLOURS.length]));
    }

    static String render(String channel, ScenarioResult r) {
        return new TimelineSvg(channel, r).draw();
    }

    private String draw() {
        List<Integer> labelRows = labelRows(events.stream().map(e -> x(e.atMillis())).toList(),
                events.stream().map(TimelineSvg::label).toList());
        int rows = labelRows.stream().mapToInt(i -> i + 1).max().orElse(0);
        int y = ROW * rows + 6;
        int labelsEnd = y;
        Map<String, Map<String, List<Timeline.Sample>>> byOrg = new TreeMap<>();
        Map<String, List<Timeline.Sample>> byNode = new TreeMap<>();
        for (Timeline.Sample s : samples) {
            byNode.computeIfAbsent(s.node(), k -> new ArrayList<>()).add(s);
            if (s.peer()) {
                byOrg.computeIfAbsent(s.org(), k -> new TreeMap<>()).computeIfAbsent(s.node(), k -> new ArrayList<>()).add(s);
            }
        }
        StringBuilder body = new StringBuilder();
        for (Map.Entry<String, Map<String, List<Timeline.Sample>>> org : byOrg.entrySet()) {
            body.append(text(4, y + 11, org.getKey(), "font-weight:bold"));
            y += LANE + 2;
            for (Map.Entry<String, List<Timeline.Sample>> peer : org.getValue().entrySet()) {
                body.append(lane(y, peer.getKey(), peer.getValue()));
                y += LANE + 3;
            }
            body.append(overlapLane(y, org.getKey(), org.getValue().values()));
            y += LANE + 8;
        }
        int plotTop = y + 8;
        body.append(heights(plotTop, byNode));
        int axisY = plotTop + PLOT + 4;
        int height = axisY + 18 + 2 * ROW + 8;
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
                .append(height).append("\">\n");
        svg.append(axis(labelsEnd, axisY));
        svg.append(body);
        for (int i = 0; i < events.size(); i++) {
            svg.append(event(events.get(i), ROW * labelRows.get(i) + 11, axisY));
        }
        svg.append(legend(axisY + 18 + ROW + 6));
        return svg.append("</svg>\n").toString();
    }

    /**
     * For labels starting at {@code xs} (sorted) with {@code labels}' text, the row of each such that
     * no two labels of a row overlap: each goes to the first row whose last label ends left of it.
     * A label that would run past the right edge is drawn leftwards of its line instead.
     */
    static List<Integer> labelRows(List<Double> xs, List<String> labels) {
        List<Double> rowEnds = new ArrayList<>();
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < xs.size(); i++) {
            double[] span = labelSpan(xs.get(i), labels.get(i));
            int row = 0;
            while (row < rowEnds.size() && rowEnds.get(row) > span[0]) {
                row++;
            }
            if (row == rowEnds.size()) {
                rowEnds.add(span[1]);
            } else {
                rowEnds.set(row, span[1]);
            }
            rows.add(row);
        }
        return rows;
    }

    /** Where a label at {@code x} is drawn: {from, to}, with a small gap to the next label. */
    static double[] labelSpan(double x, String label) {
        double width = label.length() * CHAR;
        return x + 3 + width <= WIDTH ? new double[] {x + 3, x + 3 + width + 8} : new double[] {x - 3 - width, x + 5};
    }

    /** The tick step: the smallest round step that leaves {@link #TICK_ROOM} pixels per label. */
    public static long tickStep(long spanMillis, int pixels) {
        for (long step : STEPS) {
            if (spanMillis / (double) step * TICK_ROOM <= pixels) {
                return step;
            }
        }
        return STEPS[STEPS.length - 1] * Math.max(1, spanMillis / STEPS[STEPS.length - 1] * TICK_ROOM / pixels + 1);
    }

    public static String tickLabel(long millis, long step) {
        if (step < 1_000) {
            return String.format("%.1f s", millis / 1000.0);
        }
        if (millis < 60_000 || step < 60_000 && millis < 600_000) {
            return millis / 1000 + " s";
        }
        return String.format("%d:%02d", millis / 60_000, millis / 1000 % 60);
    }

    private String axis(int top, int axisY) {
        StringBuilder a = new StringBuilder();
        long step = tickStep(end - start, WIDTH - LEFT - RIGHT);
        a.append(String.format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>%n", LEFT, axisY,
                WIDTH - RIGHT, axisY));
        for (long t = (start + step - 1) / step * step; t <= end; t += step) {
            double x = x(t);
            a.append(String.format("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>"
                    + "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#444\"/>", x, top, x, axisY, x, axisY, x,
                    axisY + 4));
            a.append(String.format("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x, axisY + 15,
                    HtmlReport.escape(tickLabel(t, step))));
        }
        a.append(text(4, axisY + 15, "time since start"));
        return a.toString();
    }

    private String lane(int y, String node, List<Timeline.Sample> list) {
        StringBuilder l = new StringBuilder(text(14, y + 11, node));
        String c = colour.get(node);
        for (long[] run : runs(list, Timeline.Sample::leader)) {
            l.append(rect(run, y, LANE, c, 0.3, node + " reports leader"));
        }
        for (long[] run : runs(list, Timeline.Sample::delivering)) {
            l.append(rect(run, y + 3, LANE - 6, c, 1.0, node + " delivering"));
        }
        return l.toString();
    }

    private String overlapLane(int y, String org, java.util.Collection<List<Timeline.Sample>> peers) {
        Map<Long, java.util.Set<String>> delivering = new TreeMap<>();
        peers.forEach(list -> list.forEach(s -> {
            java.util.Set<String> round = delivering.computeIfAbsent(s.atMillis(), k -> new java.util.TreeSet<>());
            if (s.delivering()) {
                round.add(s.node());
            }
        }));
        List<Timeline.Sample> marks = new ArrayList<>();
        delivering.forEach((at, nodes) -> marks.add(new Timeline.Sample(at, "", org, org, true, 0, nodes.size() > 1,
                nodes.size() > 1, false)));
        List<long[]> runs = runs(marks, Timeline.Sample::delivering);
        long total = runs.stream().mapToLong(run -> run[1] - run[0]).sum();
        StringBuilder l = new StringBuilder(text(14, y + 11, "2+ deliverers: " + (total == 0 ? "none" : total + " ms"),
                total == 0 ? "fill:#888" : "fill:" + RED));
        for (long[] run : runs) {
            l.append(rect(run, y, LANE, RED, 0.8, org + ": two or more peers delivering for " + (run[1] - run[0]) + " ms"));
        }
        return l.toString();
    }

    private String heights(int plotTop, Map<String, List<Timeline.Sample>> byNode) {
        long maxHeight = Math.max(1, samples.stream().mapToLong(Timeline.Sample::height).max().orElse(1));
        long minHeight = Math.max(0, samples.stream().filter(s -> s.height() >= 0).mapToLong(Timeline.Sample::height)
                .min().orElse(0));
        double hScale = PLOT / (double) Math.max(1, maxHeight - minHeight);
        StringBuilder h = new StringBuilder(text(4, plotTop + 10, "height " + maxHeight))
                .append(text(4, plotTop + PLOT, "height " + minHeight));
        for (Map.Entry<String, List<Timeline.Sample>> node : byNode.entrySet()) {
            // one polyline per stretch the node answered: a gap while it was down stays a gap
            List<String> segments = new ArrayList<>();
            StringBuilder points = new StringBuilder();
            for (Timeline.Sample s : node.getValue()) {
                if (s.height() < 0) {
                    if (points.length() > 0) {
                        segments.add(points.toString());
                        points.setLength(0);
                    }
                    continue;
                }
                points.append(String.format("%.1f,%.1f ", x(s.atMillis()), plotTop + PLOT - (s.height() - minHeight) * hScale));
            }
            if (points.length() > 0) {
                segments.add(points.toString());
            }
            for (String segment : segments) {
                h.append("<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"").append(colour.get(node.getKey()))
                        .append("\" points=\"").append(segment).append("\"><title>").append(HtmlReport.escape(node.getKey()))
                        .append("</title></polyline>\n");
            }
        }
        return h.toString();
    }

    private String event(Timeline.Event e, int labelY, int axisY) {
        double x = x(e.atMillis());
        String label = label(e);
        double[] span = labelSpan(x, label);
        return String.format("<g><title>%s</title><line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" "
                + "stroke-dasharray=\"3,3\"/>", HtmlReport.escape(e.atMillis() + " ms: " + label + " (" + e.detail() + ")"),
                x, labelY + 2, x, axisY, RED)
                + text((int) Math.round(span[0]), labelY, label) + "</g>\n";
    }

    private String legend(int y) {
        StringBuilder l = new StringBuilder();
        int x = LEFT;
        for (Map.Entry<String, String> c : colour.entrySet()) {
            l.append(String.format("<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>", x, y - 9, c.getValue()))
                    .append(text(x + 13, y, c.getKey()));
            x += (int) (14 + CHAR * c.getKey().length() + 10);
        }
        return l.append(text(LEFT, y + ROW, "lanes: light = reports leader, solid = deliver client runs, red = two or more "
                + "peers of the org deliver; dashed lines: faults and checks (hover for details)")).toString();
    }

    /** The stretches of {@code list} (one node, in time order) where {@code on} holds: {from, to}; the last runs to the end. */
    private List<long[]> runs(List<Timeline.Sample> list, Predicate<Timeline.Sample> on) {
        List<long[]> runs = new ArrayList<>();
        long[] open = null;
        for (Timeline.Sample s : list) {
            if (on.test(s) && open == null) {
                open = new long[] {s.atMillis(), s.atMillis()};
            } else if (!on.test(s) && open != null) {
                open[1] = s.atMillis();
                runs.add(open);
                open = null;
            }
        }
        if (open != null) {
            open[1] = end;
            runs.add(open);
        }
        return runs;
    }

    private String rect(long[] run, int y, int h, String fill, double opacity, String title) {
        return String.format("<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\" fill-opacity=\"%.1f\">"
                + "<title>%s</title></rect>%n", x(run[0]), y, Math.max(1, (run[1] - run[0]) * scale), h, fill, opacity,
                HtmlReport.escape(title));
    }

    private double x(long millis) {
        return LEFT + (millis - start) * scale;
    }

    private static String label(Timeline.Event e) {
        return e.kind() + " " + e.node();
    }

    private static String text(int x, int y, String s) {
        return "<text x=\"" + x + "\" y=\"" + y + "\">" + HtmlReport.escape(s) + "</text>";
    }

    private static String text(int x, int y, String s, String style) {
        return "<text x=\"" + x + "\" y=\"" + y + "\" style=\"" + style + "\">" + HtmlReport.escape(s) + "</text>";
    }
}
