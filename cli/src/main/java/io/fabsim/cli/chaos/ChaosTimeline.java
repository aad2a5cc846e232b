package io.fabsim.cli.chaos;

import io.fabsim.cli.scenario.TimelineSvg;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code DIR/report.html}: one self-contained page (inline SVG, no scripts) a person reads after a
 * chaos run. A summary (seed, faults by kind, blocks verified, violations), the violations as a
 * table, then per epoch a timeline: a lane per node with each fault as a bar of its kind's colour,
 * violations as red bands across every lane, split brain while the view was unstable as amber
 * bands, and a time axis with round ticks (seconds since the run started).
 */
final class ChaosTimeline {

    private static final int WIDTH = 1200;
    private static final int LEFT = 130;
    private static final int RIGHT = 20;
    private static final int LANE = 18;
    private static final Map<String, String> KIND_COLOURS = Map.of("kill", "#1f77b4", "pause", "#ff7f0e",
            "partition", "#9467bd", "delay", "#8c564b", "orderer-kill", "#17becf", "restart", "#2ca02c");

    /** What the page shows; the same data as {@code report.json}. */
    record Data(long seed, Map<String, Long> faultsByKind, long blocksVerified, List<Nemesis.Outcome> outcomes,
                List<Violation> violations, List<Map<String, Object>> splitBrain) {
    }

    private ChaosTimeline() {
    }

    static String render(Data d) {
        StringBuilder html = new StringBuilder("""
                <!DOCTYPE html><html><head><meta charset="utf-8"><title>fabsim chaos</title>
                <style>body{font-family:sans-serif;margin:20px;color:#222}table{border-collapse:collapse}
                td,th{border:1px solid #ccc;padding:3px 8px;font-size:13px;vertical-align:top}.bad{color:#d62728;font-weight:bold}
                .ok{color:#2ca02c;font-weight:bold}svg text{font-size:11px;font-family:sans-serif}
                .key span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;vertical-align:middle}</style>
                </head><body><h1>fabsim chaos run</h1>
                """);
        html.append("<p>seed ").append(d.seed()).append(" &middot; faults injected ")
                .append(d.faultsByKind().values().stream().mapToLong(Long::longValue).sum()).append(' ')
                .append(escape(d.faultsByKind().toString())).append(" &middot; blocks verified ").append(d.blocksVerified())
                .append(" &middot; ").append(d.violations().isEmpty() ? "<span class=\"ok\">no violation</span>"
                        : "<span class=\"bad\">" + d.violations().size() + " violation(s)</span>").append("</p>\n");
        if (!d.violations().isEmpty()) {
            html.append("<table><tr><th>kind</th><th>epoch</th><th>from</th><th>to</th><th>org / channel</th><th>nodes</th>"
                    + "<th>detail</th></tr>\n");
            for (Violation v : d.violations()) {
                html.append("<tr><td class=\"bad\">").append(escape(v.kind())).append("</td><td>").append(v.epoch())
                        .append("</td><td>").append(seconds(v.startMillis())).append("</td><td>").append(seconds(v.endMillis()))
                        .append("</td><td>").append(escape(String.valueOf(v.org())) + " / " + escape(String.valueOf(v.channel())))
                        .append("</td><td>").append(escape(String.join(", ", v.peers()))).append("</td><td>")
                        .append(escape(v.detail())).append("</td></tr>\n");
            }
            html.append("</table>\n");
        }
        html.append("<p class=\"key\">");
        new TreeMap<>(KIND_COLOURS).forEach((kind, colour) -> html.append("<span style=\"background:").append(colour)
                .append("\"></span>").append(kind));
        html.append("<span style=\"background:#d62728;opacity:.35\"></span>violation"
                + "<span style=\"background:#ffbf00;opacity:.45\"></span>split brain while unstable</p>\n");
        TreeSet<Integer> epochs = new TreeSet<>();
        d.outcomes().forEach(o -> epochs.add(o.fault().epoch()));
        d.violations().forEach(v -> epochs.add(v.epoch()));
        for (int epoch : epochs) {
            html.append("<h2>epoch ").append(epoch).append("</h2>\n").append(epochSvg(d, epoch));
        }
        return html.append("</body></html>\n").toString();
    }

    private static String epochSvg(Data d, int epoch) {
        List<Nemesis.Outcome> faults = d.outcomes().stream().filter(o -> o.fault().epoch() == epoch && o.injected()).toList();
        List<Violation> violations = d.violations().stream().filter(v -> v.epoch() == epoch).toList();
        List<Map<String, Object>> split = d.splitBrain().stream().filter(m -> ((Number) m.get("epoch")).intValue() == epoch)
                .toList();
        TreeSet<String> nodes = new TreeSet<>();
        faults.forEach(o -> nodes.add(o.node()));
        violations.forEach(v -> nodes.addAll(v.peers()));
        split.forEach(m -> nodes.addAll(peers(m)));
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        for (Nemesis.Outcome o : faults) {
            start = Math.min(start, o.startMillis());
            end = Math.max(end, o.endMillis());
        }
        for (Violation v : violations) {
            start = Math.min(start, v.startMillis());
            end = Math.max(end, v.endMillis());
        }
        for (Map<String, Object> m : split) {
            start = Math.min(start, millis(m, "startMillis"));
            end = Math.max(end, millis(m, "endMillis"));
        }
        if (nodes.isEmpty() || start > end) {
            return "<p>nothing injected</p>\n";
        }
        end = Math.max(end, start + 1);
        List<String> lanes = new ArrayList<>(nodes);
        int top = 10;
        int axisY = top + lanes.size() * LANE + 6;
        Scale x = new Scale(start, end);
        StringBuilder svg = new StringBuilder();
        svg.append(String.format("<svg width=\"%d\" height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\">%n", WIDTH, axisY + 30));
        for (int i = 0; i < lanes.size(); i++) {
            int y = top + i * LANE;
            svg.append(String.format("<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>"
                    + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#eee\"/>%n", LEFT - 6, y + 12, escape(lanes.get(i)),
                    LEFT, y + LANE, WIDTH - RIGHT, y + LANE));
        }
        for (Map<String, Object> m : split) {
            svg.append(band(x, millis(m, "startMillis"), millis(m, "endMillis"), top, axisY, "#ffbf00", 0.45,
                    "split brain while unstable: " + m.get("org") + " " + m.get("channel") + " " + peers(m)));
        }
        for (Violation v : violations) {
            svg.append(band(x, v.startMillis(), v.endMillis(), top, axisY, "#d62728", 0.35, v.kind() + ": " + v.detail()));
        }
        for (Nemesis.Outcome o : faults) {
            int y = top + lanes.indexOf(o.node()) * LANE + 3;
            double x1 = x.at(o.startMillis());
            double width = Math.max(2, x.at(o.endMillis()) - x1);
            String kind = o.fault().kind().label();
            svg.append(String.format("<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s</title></rect>%n",
                    x1, y, width, LANE - 6, KIND_COLOURS.getOrDefault(kind, "#7f7f7f"), escape(kind + " of " + o.node() + " at "
                            + seconds(o.startMillis()) + " for " + (o.endMillis() - o.startMillis()) + " ms")));
        }
        svg.append(String.format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>%n", LEFT, axisY,
                WIDTH - RIGHT, axisY));
        long step = TimelineSvg.tickStep(end - start, WIDTH - LEFT - RIGHT);
        for (long t = (start + step - 1) / step * step; t <= end; t += step) {
            double tx = x.at(t);
            svg.append(String.format("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#444\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", tx, axisY, tx, axisY + 4, tx, axisY + 16,
                    TimelineSvg.tickLabel(t, step)));
        }
        return svg.append("</svg>\n").toString();
    }

    private static String band(Scale x, long from, long to, int top, int bottom, String colour, double opacity, String title) {
        double x1 = x.at(from);
        return String.format("<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\" fill-opacity=\"%.2f\">"
                + "<title>%s</title></rect>%n", x1, top, Math.max(3, x.at(to) - x1), bottom - top, colour, opacity, escape(title));
    }

    private record Scale(long start, long end) {
        double at(long millis) {
            return LEFT + (millis - start) * (double) (WIDTH - LEFT - RIGHT) / (end - start);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> peers(Map<String, Object> m) {
        return (List<String>) m.get("peers");
    }

    private static long millis(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).longValue();
    }

    private static String seconds(long millis) {
        return String.format("%.1f s", millis / 1000.0);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
