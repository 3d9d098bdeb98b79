package dev.rankql.cli;

import static java.util.Objects.requireNonNull;

import dev.rankql.engine.eval.EvaluationResult;
import dev.rankql.engine.eval.Metric;
import dev.rankql.engine.eval.RandomizationTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;

/**
 * The HTML report of {@code rankql eval --report} and {@code rankql train --report}: one self-contained file (inline
 * CSS and SVG, nothing fetched) with tables and plots, and each plot also as a PNG file beside it.
 *
 * <p>Two systems are compared query by query: the evaluated request against {@code --compare}, or the trained model
 * against the first pass on the validation queries. The plots are the metrics of both systems, each query's
 * difference in the first metric sorted from largest gain to largest loss, and, for a model, each feature's total
 * gain in the trees.
 */
final class Reports {

    /**
     * One evaluated system.
     *
     * @param name how tables and legends call it
     * @param description what it is (a request template, a model), shown verbatim
     */
    record System(String name, String description, EvaluationResult result) {

        System {
            requireNonNull(name, "name");
            requireNonNull(description, "description");
            requireNonNull(result, "result");
        }
    }

    /**
     * What a report shows.
     *
     * @param title the page's heading
     * @param facts lines of context (index, queries, model), shown as a list
     * @param system the system of interest
     * @param baseline the system it is compared with, if any, on the same queries
     * @param importance feature names with their total gain, largest first, when a model was trained
     */
    record Content(String title, List<String> facts, System system, Optional<System> baseline,
            List<Map.Entry<String, Double>> importance) {

        Content {
            requireNonNull(title, "title");
            facts = List.copyOf(facts);
            requireNonNull(system, "system");
            requireNonNull(baseline, "baseline");
            importance = List.copyOf(importance);
        }
    }

    private Reports() {}

    /**
     * Writes the HTML file and its PNG plots ({@code NAME-metrics.png}, {@code NAME-delta.png},
     * {@code NAME-importance.png} next to {@code NAME.html}); returns the files written.
     */
    static List<Path> write(Path html, Content content) throws IOException {
        var file = html.toAbsolutePath();
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        String stem = file.getFileName().toString().replaceFirst("\\.html?$", "");
        var charts = new ArrayList<Map.Entry<String, Plots.Chart>>();
        var result = content.system().result();
        List<Metric> metrics = result.metrics();
        var names = new ArrayList<String>();
        var series = new ArrayList<String>();
        series.add(content.system().name());
        content.baseline().ifPresent(b -> series.add(b.name()));
        double[][] means = new double[series.size()][metrics.size()];
        for (int m = 0; m < metrics.size(); m++) {
            names.add(metrics.get(m).name());
            means[0][m] = result.mean(metrics.get(m));
            if (content.baseline().isPresent()) {
                means[1][m] = content.baseline().get().result().mean(metrics.get(m));
            }
        }
        charts.add(Map.entry("metrics", Plots.grouped("Mean of each metric", names, series, means)));
        Metric first = metrics.getFirst();
        List<String[]> perQuery = new ArrayList<>();
        if (content.baseline().isPresent()) {
            double[] a = result.perQuery(first);
            double[] b = content.baseline().get().result().perQuery(first);
            Integer[] order = new Integer[a.length];
            for (int q = 0; q < a.length; q++) {
                order[q] = q;
            }
            Arrays.sort(order, Comparator.comparingDouble((Integer q) -> b[q] - a[q])
                    .thenComparing(q -> result.queryIds().get(q)));
            double[] sorted = new double[a.length];
            for (int i = 0; i < order.length; i++) {
                int q = order[i];
                sorted[i] = a[q] - b[q];
                perQuery.add(new String[] {result.queryIds().get(q), decimal(a[q]), decimal(b[q]),
                    String.format(Locale.ROOT, "%+.4f", a[q] - b[q])});
            }
            charts.add(Map.entry("delta", Plots.differences("Per-query difference in " + first.name() + ": "
                    + content.system().name() + " minus " + content.baseline().get().name(), sorted,
                    "above zero: " + content.system().name() + " is better")));
        }
        if (!content.importance().isEmpty()) {
            double total = content.importance().stream().mapToDouble(Map.Entry::getValue).sum();
            double[] shares = content.importance().stream()
                    .mapToDouble(e -> total > 0 ? 100 * e.getValue() / total : 0).toArray();
            charts.add(Map.entry("importance", Plots.horizontal("Feature importance: share of the trees' total gain",
                    content.importance().stream().map(Map.Entry::getKey).toList(), shares, "%")));
        }

        var page = new StringBuilder();
        page.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(escape(content.title())).append("</title>\n<style>")
                .append("body{font-family:sans-serif;max-width:820px;margin:2em auto;color:#222}")
                .append("table{border-collapse:collapse;margin:1em 0}td,th{padding:3px 10px;border-bottom:1px solid #ddd}")
                .append("td.n{text-align:right;font-variant-numeric:tabular-nums}pre{background:#f5f5f5;padding:8px;")
                .append("white-space:pre-wrap}figure{margin:1.5em 0}</style></head><body>\n<h1>")
                .append(escape(content.title())).append("</h1>\n<ul>");
        content.facts().forEach(f -> page.append("<li>").append(escape(f)).append("</li>"));
        page.append("</ul>\n<h2>Systems</h2>\n");
        for (System system : systems(content)) {
            page.append("<p><b>").append(escape(system.name())).append("</b></p><pre>")
                    .append(escape(system.description())).append("</pre>\n");
        }
        page.append("<h2>Metrics</h2>\n<table><tr><th>metric</th><th>").append(escape(content.system().name()))
                .append("</th>");
        content.baseline().ifPresent(b -> page.append("<th>").append(escape(b.name()))
                .append("</th><th>difference</th><th>p-value</th>"));
        page.append("</tr>\n");
        for (Metric metric : metrics) {
            page.append("<tr><td>").append(escape(metric.name())).append("</td><td class=\"n\">")
                    .append(decimal(result.mean(metric))).append("</td>");
            if (content.baseline().isPresent()) {
                var test = RandomizationTest.compare(result, content.baseline().get().result(), metric);
                page.append("<td class=\"n\">").append(decimal(test.meanB())).append("</td><td class=\"n\">")
                        .append(String.format(Locale.ROOT, "%+.4f", test.meanDifference()))
                        .append("</td><td class=\"n\">").append(decimal(test.pValue())).append("</td>");
            }
            page.append("</tr>\n");
        }
        page.append("</table>\n<p>").append(result.queryIds().size()).append(" queries; metrics as trec_eval defines "
                + "them; p-values from a paired randomization test (docs/relevance.md).</p>\n<h2>Plots</h2>\n");
        var written = new ArrayList<Path>();
        written.add(file);
        for (var chart : charts) {
            Path png = file.resolveSibling(stem + "-" + chart.getKey() + ".png");
            page.append("<figure>").append(chart.getValue().svg()).append("<figcaption>")
                    .append(escape(chart.getValue().title())).append(" (also <a href=\"").append(escape(
                            png.getFileName().toString())).append("\">").append(escape(png.getFileName().toString()))
                    .append("</a>)</figcaption></figure>\n");
            written.add(png);
        }
        if (!perQuery.isEmpty()) {
            page.append("<h2>Per query: ").append(escape(first.name())).append("</h2>\n<table><tr><th>query</th><th>")
                    .append(escape(content.system().name())).append("</th><th>")
                    .append(escape(content.baseline().get().name())).append("</th><th>difference</th></tr>\n");
            for (String[] row : perQuery) {
                page.append("<tr><td>").append(escape(row[0])).append("</td><td class=\"n\">").append(row[1])
                        .append("</td><td class=\"n\">").append(row[2]).append("</td><td class=\"n\">").append(row[3])
                        .append("</td></tr>\n");
            }
            page.append("</table>\n");
        }
        if (!content.importance().isEmpty()) {
            page.append("<h2>Feature importance</h2>\n<table><tr><th>feature</th><th>total gain</th></tr>\n");
            for (var entry : content.importance()) {
                page.append("<tr><td>").append(escape(entry.getKey())).append("</td><td class=\"n\">")
                        .append(String.format(Locale.ROOT, "%.2f", entry.getValue())).append("</td></tr>\n");
            }
            page.append("</table>\n");
        }
        page.append("</body></html>\n");
        Files.writeString(file, page, StandardCharsets.UTF_8);
        for (var chart : charts) {
            Path png = file.resolveSibling(stem + "-" + chart.getKey() + ".png");
            try {
                if (!ImageIO.write(chart.getValue().image(), "png", png.toFile())) {
                    throw new IOException("no PNG writer in this Java runtime");
                }
            } catch (java.awt.AWTError | LinkageError e) {
                // A runtime without AWT's native font support (fontconfig) cannot draw text into images.
                throw new IOException("wrote " + file + " but cannot draw its PNG plots (Java2D needs fontconfig "
                        + "and a font): " + e, e);
            }
        }
        return written;
    }

    private static List<System> systems(Content content) {
        var systems = new ArrayList<System>();
        systems.add(content.system());
        content.baseline().ifPresent(systems::add);
        return systems;
    }

    /** {@code text} escaped for HTML and XML text and attribute values. */
    static String escape(String text) {
        var out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String decimal(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }
}
