package io.fabsim.cli.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A self-contained HTML page (inline SVG, no scripts) per scenario run: for each channel, one lane
 * per organization coloured by the peer that was delivering over time, then every peer's height
 * over time; faults are vertical lines with their label.
 */
final class HtmlReport {

    private static final String[] COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
        "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
    private static final int WIDTH = 960;
    private static final int LEFT = 120;
    private static final int LANE = 18;
    private static final int PLOT = 160;

    private HtmlReport() {
    }

    static String render(List<ScenarioResult> results) {
        StringBuilder html = new StringBuilder("""
                <!DOCTYPE html><html><head><meta charset="utf-8"><title>fabsim scenarios</title>
                <style>body{font-family:sans-serif;margin:20px;color:#222}h2{margin-top:32px}
                table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;font-size:13px}
                .pass{color:#2ca02c;font-weight:bold}.fail{color:#d62728;font-weight:bold}
                svg text{font-size:11px}</style></head><body><h1>fabsim failover scenarios</h1>
                <table><tr><th>scenario</th><th>result</th><th>faults</th><th>failover (ms)</th><th>blocks checked</th><th>message</th></tr>
                """);
        for (ScenarioResult r : results) {
            html.append("<tr><td><a href=\"#").append(r.name()).append("\">").append(escape(r.name())).append("</a></td><td class=\"")
                    .append(r.passed() ? "pass\">PASS" : "fail\">FAIL").append("</td><td>").append(r.events().size())
                    .append("</td><td>").append(escape(r.failoverMillis().toString())).append("</td><td>")
                    .append(r.blocksChecked()).append("</td><td>").append(escape(r.message())).append("</td></tr>\n");
        }
        html.append("</table>\n");
        for (ScenarioResult r : results) {
            html.append("<h2 id=\"").append(r.name()).append("\">").append(escape(r.name())).append("</h2><p>")
                    .append(escape(r.description())).append("</p>\n");
            for (String channel : channels(r.samples())) {
                html.append("<h3>channel ").append(escape(channel)).append("</h3>\n");
                html.append(svg(channel, r));
            }
        }
        return html.append("</body></html>\n").toString();
    }

    private static Set<String> channels(List<Timeline.Sample> samples) {
        Set<String> channels = new LinkedHashSet<>();
        samples.forEach(s -> channels.add(s.channel()));
        return channels;
    }

    private static String svg(String channel, ScenarioResult r) {
        List<Timeline.Sample> samples = r.samples().stream().filter(s -> s.channel().equals(channel)).toList();
        // The axis spans what was sampled (the network's start-up comes before the first sample).
        long start = samples.stream().mapToLong(Timeline.Sample::atMillis).min().orElse(0);
        long end = Math.max(start + 1, samples.stream().mapToLong(Timeline.Sample::atMillis).max().orElse(1));
        Map<String, List<Timeline.Sample>> byOrg = new TreeMap<>();
        Map<String, List<Timeline.Sample>> byNode = new TreeMap<>();
        for (Timeline.Sample s : samples) {
            byNode.computeIfAbsent(s.node(), k -> new ArrayList<>()).add(s);
            if (s.peer()) {
                byOrg.computeIfAbsent(s.org(), k -> new ArrayList<>()).add(s);
            }
        }
        Map<String, String> colour = new LinkedHashMap<>();
        byNode.keySet().forEach(n -> colour.put(n, COLOURS[colour.size() % COLOURS.length]));
        long maxHeight = Math.max(1, samples.stream().mapToLong(Timeline.Sample::height).max().orElse(1));
        long minHeight = Math.max(0, samples.stream().filter(s -> s.height() >= 0).mapToLong(Timeline.Sample::height).min().orElse(0));
        int labelRows = 4;
        int top = 14 * labelRows + 8;
        int lanesHeight = byOrg.size() * (LANE + 4);
        int height = top + lanesHeight + 20 + PLOT + 40;
        double scale = (WIDTH - LEFT - 20) / (double) (end - start);
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"").append(height)
                .append("\">\n");
        int y = top;
        for (Map.Entry<String, List<Timeline.Sample>> org : byOrg.entrySet()) {
            svg.append(text(4, y + 13, "delivering " + org.getKey()));
            for (long[] run : deliveringRuns(org.getValue(), end)) {
                String node = org.getValue().get((int) run[2]).node();
                svg.append(String.format("<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s</title></rect>%n",
                        LEFT + (run[0] - start) * scale, y, Math.max(1, (run[1] - run[0]) * scale), LANE,
                        colour.get(node), escape(node + " delivering")));
            }
            y += LANE + 4;
        }
        int plotTop = y + 20;
        svg.append(text(4, plotTop + 10, "height " + maxHeight)).append(text(4, plotTop + PLOT, "height " + minHeight));
        double hScale = PLOT / (double) Math.max(1, maxHeight - minHeight);
        for (Map.Entry<String, List<Timeline.Sample>> node : byNode.entrySet()) {
            // One polyline per stretch the node answered: a gap while it was down stays a gap.
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
                points.append(String.format("%.1f,%.1f ", LEFT + (s.atMillis() - start) * scale,
                        plotTop + PLOT - (s.height() - minHeight) * hScale));
            }
            if (points.length() > 0) {
                segments.add(points.toString());
            }
            for (String segment : segments) {
                svg.append("<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"").append(colour.get(node.getKey()))
                        .append("\" points=\"").append(segment).append("\"><title>").append(escape(node.getKey()))
                        .append("</title></polyline>\n");
            }
        }
        int legendY = plotTop + PLOT + 25;
        int x = LEFT;
        for (Map.Entry<String, String> c : colour.entrySet()) {
            svg.append(String.format("<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>", x, legendY - 9, c.getValue()))
                    .append(text(x + 13, legendY, c.getKey()));
            x += 14 + 7 * c.getKey().length() + 10;
        }
        int row = 0;
        for (Timeline.Event e : r.events()) {
            if (e.atMillis() < start || e.atMillis() > end) {
                continue;
            }
            double ex = LEFT + (e.atMillis() - start) * scale;
            int labelY = 12 + 14 * (row++ % labelRows);
            svg.append(String.format("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#d62728\" stroke-dasharray=\"3,3\"/>",
                    ex, labelY + 2, ex, plotTop + PLOT))
                    .append(text((int) Math.min(ex + 2, WIDTH - 150), labelY, e.kind() + " " + e.node()));
        }
        svg.append(text(LEFT, height - 2, String.format("%.1f s", start / 1000.0)))
                .append(text(WIDTH - 60, height - 2, String.format("%.1f s", end / 1000.0)));
        return svg.append("</svg>\n").toString();
    }

    /**
     * The stretches of time each node of {@code list} was delivering: {start, end, index of a sample
     * of that node}. A stretch runs from its first delivering sample to the node's next sample that is
     * not delivering (or the end).
     */
    private static List<long[]> deliveringRuns(List<Timeline.Sample> list, long end) {
        List<long[]> runs = new ArrayList<>();
        Map<String, long[]> open = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            Timeline.Sample s = list.get(i);
            long[] run = open.get(s.node());
            if (s.delivering() && run == null) {
                open.put(s.node(), new long[] {s.atMillis(), s.atMillis(), i});
            } else if (!s.delivering() && run != null) {
                run[1] = s.atMillis();
                runs.add(run);
                open.remove(s.node());
            }
        }
        for (long[] run : open.values()) {
            run[1] = end;
            runs.add(run);
        }
        return runs;
    }

    private static String text(int x, int y, String s) {
        return "<text x=\"" + x + "\" y=\"" + y + "\">" + escape(s) + "</text>";
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
