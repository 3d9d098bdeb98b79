package dev.rankql.cli;

import static java.util.Objects.requireNonNull;

import dev.rankql.engine.eval.EvaluationResult;
import dev.rankql.engine.eval.Evaluator;
import dev.rankql.engine.eval.Metric;
import dev.rankql.engine.eval.Query;
import dev.rankql.engine.eval.RandomizationTest;
import dev.rankql.engine.eval.Run;
import dev.rankql.engine.mapping.Json;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code rankql eval}: runs a request template for every judged query and scores the rankings with trec_eval's
 * metrics, optionally against a second template with a paired randomization test per metric.
 */
@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        description = {
            "Evaluates a search against judgments with trec_eval's metrics (docs/relevance.md states each one). "
                + "For every query of --qrels with a relevant document, the --request template (a file, or the request "
                + "itself, in the DSL or as JSON) is rendered with {{query_text}} and {{query_id}} and run for --size "
                + "hits. Judged queries missing from --queries score 0, as with trec_eval -c. With --compare, a second "
                + "template runs on the same queries and a paired randomization test gives a two-sided p-value per "
                + "metric. Prints JSON on stdout (--format table for people)."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  rankql eval docs --queries queries.jsonl --qrels qrels.tsv \\",
            "      --request 'QUERY multi_match(\"{{query_text}}\", fields: [title, text]) SIZE 100'",
            "  rankql eval docs --queries q.jsonl --qrels qrels.tsv --request ltr.dsl --compare bm25.dsl \\",
            "      --metrics ndcg@10,map --per-query per-query.tsv --format table"
        })
public final class EvalCommand implements Callable<Integer> {

    /** The metrics evaluated unless {@code --metrics} says otherwise. */
    static final String DEFAULT_METRICS = "ndcg@10,map,mrr@10,p@10,recall@100";

    /** The smallest default depth, so that metrics without a cutoff ({@code map}, {@code mrr}) see a long ranking. */
    static final int MIN_DEFAULT_DEPTH = 100;

    /** How results are printed. */
    enum Format {
        json,
        table
    }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "INDEX", description = "The index to search.")
    String index;

    @Option(names = "--queries", required = true, paramLabel = "Q.jsonl",
            description = "Queries: one {\"id\": ..., \"text\": ...} object per line.")
    String queries;

    @Option(names = "--qrels", required = true, paramLabel = "QRELS.tsv",
            description = "Judgments: query-id doc-id grade (a header line is skipped), or TREC qrels.")
    String qrels;

    @Option(names = "--request", required = true, paramLabel = "TEMPLATE",
            description = "The search, a file or inline, DSL or JSON, with {{query_text}}, {{query_id}} and the "
                    + "queries' own params.")
    String request;

    @Option(names = "--compare", paramLabel = "TEMPLATE2",
            description = "A second search to compare with, on the same queries.")
    String compare;

    @Option(names = "--metrics", defaultValue = DEFAULT_METRICS, paramLabel = "LIST",
            description = "Comma-separated metrics: ndcg@K, map, mrr, mrr@K, p@K, recall@K (default: ${DEFAULT-VALUE}).")
    String metrics;

    @Option(names = "--size", paramLabel = "N",
            description = "Hits per query (default: the largest cutoff of the metrics, at least "
                    + MIN_DEFAULT_DEPTH + ").")
    Integer size;

    @Option(names = "--per-query", paramLabel = "FILE",
            description = "Writes 'metric query-id value [compare-value]' lines, tab-separated, after a header.")
    String perQuery;

    @Option(names = "--report", paramLabel = "FILE.html",
            description = "Also writes a self-contained HTML report, and its plots as PNG files beside it.")
    String report;

    @Option(names = "--format", defaultValue = "json", paramLabel = "json|table",
            description = "Output: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;

    private final Progress.Factory progress;

    /** A command showing the queries searched through {@code progress}. */
    EvalCommand(Progress.Factory progress) {
        this.progress = requireNonNull(progress, "progress");
    }

    @Override
    public Integer call() {
        List<Metric> asked;
        try {
            asked = Metric.parseList(metrics);
        } catch (IllegalArgumentException e) {
            throw CommandFailure.badRequest("--metrics: " + e.getMessage());
        }
        int depth = size != null ? size : defaultDepth(asked);
        if (depth < 1) {
            throw CommandFailure.badRequest("--size must be at least 1, got " + depth);
        }
        var judgments = TemplateSearches.qrels(qrels);
        var all = TemplateSearches.queries(queries);
        var template = TemplateSearches.template(request, "--request", all);
        var other = Optional.ofNullable(compare).map(t -> TemplateSearches.template(t, "--compare", all));
        var evaluated = new HashSet<>(judgments.queriesWithRelevant());
        List<Query> toRun = all.stream().filter(q -> evaluated.contains(q.id())).toList();
        var out = Output.of(spec);
        var known = new HashSet<String>();
        all.forEach(q -> known.add(q.id()));
        long absent = judgments.queriesWithRelevant().stream().filter(q -> !known.contains(q)).count();
        if (absent > 0) {
            out.note(absent + " judged queries are not in " + queries + " and score 0");
        }
        if (toRun.isEmpty()) {
            throw CommandFailure.badRequest("no query of " + queries + " has a relevant judgment in " + qrels);
        }
        var text = Engines.run(spec, engine -> {
            Run run = TemplateSearches.search(engine, index, template, toRun, depth, progress, "eval");
            EvaluationResult result = Evaluator.evaluate(judgments, run.docIds(), asked);
            Optional<EvaluationResult> baseline = Optional.empty();
            if (other.isPresent()) {
                Run second = TemplateSearches.search(engine, index, other.get(), toRun, depth, progress, "compare");
                baseline = Optional.of(Evaluator.evaluate(judgments, second.docIds(), asked));
            }
            if (perQuery != null) {
                writePerQuery(Path.of(perQuery), result, baseline);
            }
            if (report != null) {
                var facts = List.of("index: " + index, "queries: " + queries + ", judgments: " + qrels,
                        result.queryIds().size() + " evaluated queries, " + depth + " hits each");
                Reports.write(Path.of(report), new Reports.Content("rankql eval: " + index, facts,
                        new Reports.System("request", template.text(), result),
                        baseline.map(b -> new Reports.System("compare", other.get().text(), b)), List.of()));
            }
            return render(result, baseline, depth);
        });
        return out.result(text);
    }

    /** The largest cutoff of the metrics, at least {@link #MIN_DEFAULT_DEPTH}. */
    static int defaultDepth(List<Metric> metrics) {
        int depth = MIN_DEFAULT_DEPTH;
        for (Metric metric : metrics) {
            int k = cutoff(metric);
            if (k != Metric.NO_CUTOFF) {
                depth = Math.max(depth, k);
            }
        }
        return depth;
    }

    private static int cutoff(Metric metric) {
        return switch (metric) {
            case Metric.Ndcg m -> m.k();
            case Metric.AveragePrecision m -> Metric.NO_CUTOFF;
            case Metric.ReciprocalRank m -> m.k();
            case Metric.Precision m -> m.k();
            case Metric.Recall m -> m.k();
        };
    }

    private String render(EvaluationResult result, Optional<EvaluationResult> baseline, int depth) {
        var tests = new ArrayList<RandomizationTest.Result>();
        baseline.ifPresent(b -> result.metrics().forEach(m -> tests.add(RandomizationTest.compare(result, b, m))));
        if (format == Format.table) {
            return table(result, baseline, tests);
        }
        var root = Json.object();
        root.put("index", index);
        root.put("queries", result.queryIds().size());
        root.put("size", depth);
        root.set("metrics", means(result));
        if (!result.missing().isEmpty()) {
            var missing = root.putArray("missing");
            result.missing().forEach(missing::add);
        }
        baseline.ifPresent(b -> {
            var comparison = root.putObject("compare");
            comparison.set("metrics", means(b));
            var significance = comparison.putObject("tests");
            for (int m = 0; m < tests.size(); m++) {
                var test = tests.get(m);
                var node = significance.putObject(result.metrics().get(m).name());
                node.put("difference", test.meanDifference());
                node.put("p_value", test.pValue());
                node.put("permutations", test.permutations());
                node.put("exact", test.exact());
            }
        });
        return Json.writePretty(root);
    }

    private static ObjectNode means(EvaluationResult result) {
        var node = Json.object();
        result.metrics().forEach(m -> node.put(m.name(), result.mean(m)));
        return node;
    }

    private static String table(EvaluationResult result, Optional<EvaluationResult> baseline,
            List<RandomizationTest.Result> tests) {
        var rows = new ArrayList<List<String>>();
        rows.add(baseline.isPresent() ? List.of("metric", "request", "compare", "difference", "p-value")
                : List.of("metric", "value"));
        for (int m = 0; m < result.metrics().size(); m++) {
            var metric = result.metrics().get(m);
            if (baseline.isPresent()) {
                var test = tests.get(m);
                rows.add(List.of(metric.name(), decimal(result.mean(metric)), decimal(baseline.get().mean(metric)),
                        String.format(Locale.ROOT, "%+.4f", test.meanDifference()), decimal(test.pValue())));
            } else {
                rows.add(List.of(metric.name(), decimal(result.mean(metric))));
            }
        }
        return Tables.render(rows) + result.queryIds().size() + " queries evaluated"
                + (result.missing().isEmpty() ? "" : ", " + result.missing().size() + " without a ranking (0)") + "\n";
    }

    static String decimal(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }

    private static void writePerQuery(Path file, EvaluationResult result, Optional<EvaluationResult> baseline)
            throws IOException {
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            writer.write(baseline.isPresent() ? "metric\tquery-id\tvalue\tcompare\n" : "metric\tquery-id\tvalue\n");
            for (Metric metric : result.metrics()) {
                double[] values = result.perQuery(metric);
                double[] other = baseline.map(b -> b.perQuery(metric)).orElse(null);
                for (int q = 0; q < values.length; q++) {
                    writer.write(metric.name() + '\t' + result.queryIds().get(q) + '\t' + values[q]
                            + (other == null ? "" : "\t" + other[q]) + '\n');
                }
            }
        }
    }
}
