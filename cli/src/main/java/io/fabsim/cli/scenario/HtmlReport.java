package io.fabsim.cli.scenario;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A self-contained HTML page (inline SVG, no scripts) per scenario run: a summary table (result,
 * failover time per fault kind, how long two peers of an org delivered at once), then per scenario
 * and channel a {@link TimelineSvg}.
 */
final class HtmlReport {

    private HtmlReport() {
    }

    static String render(List<ScenarioResult> results) {
        StringBuilder html = new StringBuilder("""
                <!DOCTYPE html><html><head><meta charset="utf-8"><title>fabsim scenarios</title>
                <style>body{font-family:sans-serif;margin:20px;color:#222}h2{margin-top:32px}
                table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;font-size:13px;vertical-align:top}
                .pass{color:#2ca02c;font-weight:bold}.fail{color:#d62728;font-weight:bold}.bad{color:#d62728}
                svg text{font-size:11px;font-family:sans-serif}</style></head><body><h1>fabsim failover scenarios</h1>
                <table><tr><th>scenario</th><th>result</th><th>faults</th><th>failover by fault</th>
                <th>two deliverers (per org/channel)</th><th>blocks checked</th><th>message</th></tr>
                """);
        for (ScenarioResult r : results) {
            html.append("<tr><td><a href=\"#").append(escape(r.name())).append("\">").append(escape(r.name()))
                    .append("</a></td><td class=\"").append(r.passed() ? "pass\">PASS" : "fail\">FAIL").append("</td><td>")
                    .append(faultCount(r)).append("</td><td>").append(failovers(r.failovers())).append("</td><td>")
                    .append(twoDeliverers(Invariants.twoDeliverersMillis(r.samples()))).append("</td><td>")
                    .append(r.blocksChecked()).append("</td><td>").append(escape(r.message())).append("</td></tr>\n");
        }
        html.append("</table>\n");
        for (ScenarioResult r : results) {
            html.append("<h2 id=\"").append(escape(r.name())).append("\">").append(escape(r.name())).append("</h2><p>")
                    .append(escape(r.description())).append("</p>\n");
            for (Timeline.Failover f : r.failovers()) {
                html.append("<div>").append(escape(f.fault() + " of " + f.from() + ": " + f.to() + " took over after "
                        + f.millis() + " ms")).append("</div>\n");
            }
            for (String channel : channels(r.samples())) {
                html.append("<h3>channel ").append(escape(channel)).append("</h3>\n");
                html.append(TimelineSvg.render(channel, r));
            }
        }
        return html.append("</body></html>\n").toString();
    }

    /** The faults injected (kill, SIGSTOP, restart, partition), not the resumes, checks and measurements. */
    private static long faultCount(ScenarioResult r) {
        Set<String> faults = Set.of("kill", "restart", "partition");
        return r.events().stream().filter(e -> faults.contains(e.kind())
                || "pause".equals(e.kind()) && "SIGSTOP".equals(e.detail())).count();
    }

    /** Per fault kind: the failover time, or its range and count when the fault was repeated. */
    static String failovers(List<Timeline.Failover> failovers) {
        if (failovers.isEmpty()) {
            return "&mdash;";
        }
        Map<String, List<Long>> byKind = new TreeMap<>();
        failovers.forEach(f -> byKind.computeIfAbsent(f.fault(), k -> new java.util.ArrayList<>()).add(f.millis()));
        return byKind.entrySet().stream().map(e -> {
            long min = e.getValue().stream().mapToLong(Long::longValue).min().orElse(0);
            long max = e.getValue().stream().mapToLong(Long::longValue).max().orElse(0);
            String times = min == max ? seconds(min) : seconds(min) + " &ndash; " + seconds(max) + " (" + e.getValue().size() + ")";
            return escape(e.getKey()) + ": " + times;
        }).collect(Collectors.joining("<br>"));
    }

    private static String twoDeliverers(Map<String, Long> millis) {
        if (millis.isEmpty()) {
            return "&mdash;";
        }
        return millis.entrySet().stream().map(e -> e.getValue() == 0 ? escape(e.getKey()) + ": none"
                : "<span class=\"bad\">" + escape(e.getKey()) + ": " + e.getValue() + " ms</span>")
                .collect(Collectors.joining("<br>"));
    }

    private static String seconds(long millis) {
        return String.format("%.2f s", millis / 1000.0);
    }

    private static Set<String> channels(List<Timeline.Sample> samples) {
        Set<String> channels = new LinkedHashSet<>();
        samples.forEach(s -> channels.add(s.channel()));
        return channels;
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
