package dev.rankql.cli;

import static java.util.Objects.requireNonNull;

import dev.rankql.dsl.Dsl;
import dev.rankql.engine.Engine;
import dev.rankql.engine.EngineException;
import dev.rankql.engine.EsErrors;
import dev.rankql.engine.RefreshPolicy;
import dev.rankql.engine.eval.EvaluationResult;
import dev.rankql.engine.eval.Evaluator;
import dev.rankql.engine.eval.Metric;
import dev.rankql.engine.eval.Qrels;
import dev.rankql.engine.eval.QrelsFile;
import dev.rankql.engine.eval.QueriesFile;
import dev.rankql.engine.eval.Query;
import dev.rankql.engine.eval.RandomizationTest;
import dev.rankql.engine.eval.RequestTemplate;
import dev.rankql.engine.mapping.Json;
import dev.rankql.engine.search.SearchOptions;
import dev.rankql.engine.search.SearchResponse;
import dev.rankql.json.EsJson;
import dev.rankql.train.QuerySplit;
import dev.rankql.train.TrainingParams;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rankql demo}: the whole relevance loop in one command, explained as it runs: index a collection, search it
 * with BM25, train an LTR model on the spot, rescore with it, and measure both on held-out queries.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Learning To Rank end to end, explained step by step: generates a product catalogue with judged "
                + "queries (or reads --corpus DIR), indexes it in an embedded index, searches it with BM25, trains a "
                + "LambdaMART model on features logged by the engine, rescores with it, and prints nDCG@10 of BM25 and "
                + "of the model on held-out queries, with a paired randomization test. Ends with the request in the DSL "
                + "and as JSON. Nothing is downloaded; the index lives in a temporary directory unless --dir is given. "
                + "--corpus DIR reads a collection laid out like BEIR: corpus.jsonl ({\"id\", \"title\", \"text\"}), "
                + "queries.jsonl and qrels/train.tsv (only these judgments are used)."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  rankql demo",
            "  rankql demo --dir demo-data        # keep the index, then: rankql --data demo-data repl",
            "  rankql demo --corpus ../shared/data/cranfield"
        })
public final class DemoCommand implements Callable<Integer> {

    /** The model the demo trains and deploys. */
    static final String MODEL_ID = "demo-ltr";

    private static final Metric NDCG10 = new Metric.Ndcg(10);
    private static final int WINDOW = 50;
    private static final int SHOWN = 5;
    private static final int CELL = 38;
    private static final double HELD_OUT = 0.25;

    @Spec
    CommandSpec spec;

    @Option(names = "--corpus", paramLabel = "DIR",
            description = "A collection laid out like ../shared/data/cranfield instead of the generated catalogue.")
    String corpus;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Keep the index and the model in this data directory (default: a temporary one).")
    String dir;

    @Option(names = "--features", paramLabel = "FEATURES.json",
            description = "A feature set to train with instead of the demo's own (e.g. examples/features/lexical.json "
                    + "with --corpus).")
    String features;

    @Option(names = "--products", defaultValue = "3000", paramLabel = "N",
            description = "Products in the generated catalogue (default: ${DEFAULT-VALUE}).")
    int products;

    @Option(names = "--max-queries", paramLabel = "N",
            description = "With --corpus: use only the first N judged queries (default: all).")
    Integer maxQueries;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N",
            description = "Seed of the catalogue, the splits and XGBoost (default: ${DEFAULT-VALUE}).")
    long seed;

    private final Progress.Factory progress;

    /** What the demo runs on: a generated catalogue or a collection read from disk. */
    private record Collection(String index, List<Query> queries, Qrels qrels, String featureSet,
            String bm25, List<String> columns, Map<String, String> params) {}

    /**
     * XGBoost parameters for a collection on disk: lexical features on a few hundred judged queries overfit deep
     * trees (on Cranfield's training queries, validation nDCG@10 went from -0.01 against BM25 with the defaults to
     * +0.06 with these), so the trees stay shallow and learn slowly.
     */
    static final Map<String, String> SMALL_DATA_PARAMS = Map.of("max_depth", "2", "eta", "0.05",
            "min_child_weight", "5");

    /** A command drawing progress bars through {@code progress}. */
    DemoCommand(Progress.Factory progress) {
        this.progress = requireNonNull(progress, "progress");
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Path data = dir != null ? Path.of(dir).toAbsolutePath() : Files.createTempDirectory("rankql-demo");
        long start = System.nanoTime();
        try (Engine engine = Engine.open(data)) {
            run(engine, data, out);
        } catch (EngineException e) {
            throw CommandFailure.of(EsErrors.of(e));
        } catch (UncheckedIOException e) {
            throw CommandFailure.failed("the demo failed: " + e.getMessage(), e);
        } finally {
            if (dir == null) {
                deleteRecursively(data);
            }
        }
        out.printf(Locale.ROOT, "%nThe demo took %.1f s.%n", (System.nanoTime() - start) / 1e9);
        out.flush();
        return ExitCodes.OK;
    }

    private void run(Engine engine, Path data, PrintWriter out) throws IOException {
        out.println(corpus == null
                ? "rankql demo: Learning To Rank end to end on a generated product catalogue."
                : "rankql demo: Learning To Rank end to end on the collection in " + corpus + ".");
        out.println();
        Collection collection = corpus == null ? catalogue(engine, data, out) : collection(engine, data, out);

        QuerySplit heldOut;
        try {
            heldOut = QuerySplit.grouped(collection.qrels().queriesWithRelevant(), collection.qrels(), HELD_OUT, seed);
        } catch (IllegalArgumentException e) {
            throw CommandFailure.badRequest("cannot hold out queries: " + e.getMessage());
        }
        if (heldOut.validation().isEmpty()) {
            throw CommandFailure.badRequest("the queries share relevant documents so widely that none can be held out");
        }
        step(out, 3, "Split", heldOut.train().size() + " queries to train on, " + heldOut.validation().size()
                + " held out for the final measurement. Queries that share a relevant document stay on the same side, "
                + "so the held-out queries ask for documents the model never saw judged.");

        RequestTemplate bm25 = RequestTemplate.compile(collection.bm25(), "bm25");
        RequestTemplate ltr = RequestTemplate.compile(ltrRequest(collection.bm25()), "ltr");
        Query example = collection.queries().stream().filter(q -> q.id().equals(heldOut.validation().getFirst()))
                .findFirst().orElseThrow();
        Map<String, Object> exampleParams = Map.of("query_text", example.text(), "query_id", example.id());
        var bm25Hits = engine.search(collection.index(), bm25.render(exampleParams, "the example"),
                SearchOptions.NONE.withSize(SHOWN));
        step(out, 4, "BM25", "The first held-out query, \"" + example.text() + "\", as a plain BM25 search:");
        out.println(indent(Dsl.print(bm25.render(exampleParams, "the example"))));
        out.println(indent(hitTable(bm25Hits, collection, example.id())));

        String featureSet = features == null
                ? collection.featureSet()
                : ModelCommand.readFile(features, "feature set");
        var setup = new LtrTraining.Setup(collection.index(), featureSet, collection.queries(),
                collection.qrels().restrictTo(heldOut.train()), Optional.empty(), bm25, WINDOW,
                TrainingParams.defaults().withOverrides(withSeed(collection.params())), 0.2, seed, false);
        var outcome = LtrTraining.train(engine, setup, MODEL_ID, progress);
        var result = outcome.result();
        var importance = outcome.importance().stream().limit(4)
                .map(e -> e.getKey() + String.format(Locale.ROOT, " (%.0f%%)", 100 * e.getValue() / totalGain(outcome)))
                .toList();
        step(out, 5, "Train", "For the top " + WINDOW + " BM25 hits of each training query, the engine logged "
                + result.featureNames().size() + " features " + result.featureNames()
                + " with the same extractors the rescorer runs. XGBoost (LambdaMART, rank:ndcg"
                + (collection.params().isEmpty() ? "" : ", " + new java.util.TreeMap<>(collection.params()))
                + ") trained on "
                + outcome.trainRows() + " rows of " + outcome.trainQueries() + " queries and stopped early on "
                + result.validation().queryIds().size() + " validation queries (again grouped): best round "
                + (result.bestIteration() + 1) + " of " + result.roundsTrained() + ", validation nDCG@10 "
                + decimal(outcome.before().mean(NDCG10)) + " (BM25 order) -> " + decimal(result.validation()
                        .mean(NDCG10)) + " (model). Deployed as model \"" + MODEL_ID + "\" with its feature set. "
                + "Largest share of the trees' gain: " + String.join(", ", importance) + ".");

        var ltrRequest = ltr.render(exampleParams, "the example");
        var ltrHits = engine.search(collection.index(), ltrRequest, SearchOptions.NONE.withSize(SHOWN));
        step(out, 6, "Rescore", "The same query, its top " + WINDOW + " BM25 hits rescored by the model (g = grade):");
        out.println(indent(sideBySide(bm25Hits, ltrHits, collection, example.id())));

        List<Query> test = collection.queries().stream()
                .filter(q -> new HashSet<>(heldOut.validation()).contains(q.id())).toList();
        var testQrels = collection.qrels().restrictTo(heldOut.validation());
        EvaluationResult bm25Eval = Evaluator.evaluate(testQrels,
                TemplateSearches.search(engine, collection.index(), bm25, test, WINDOW, progress, "BM25").docIds(),
                List.of(NDCG10));
        EvaluationResult ltrEval = Evaluator.evaluate(testQrels,
                TemplateSearches.search(engine, collection.index(), ltr, test, WINDOW, progress, "LTR").docIds(),
                List.of(NDCG10));
        var significance = RandomizationTest.compare(ltrEval, bm25Eval, NDCG10);
        step(out, 7, "Measure", "nDCG@10 on the " + test.size() + " held-out queries (trec_eval's definition, "
                + "linear gains):");
        out.println(indent(Tables.render(List.of(
                List.of("system", "nDCG@10"),
                List.of("BM25", decimal(bm25Eval.mean(NDCG10))),
                List.of("BM25 + LTR", decimal(ltrEval.mean(NDCG10)))))));
        out.println(indent(String.format(Locale.ROOT, "difference %+.4f, paired randomization test p = %.4f%s",
                significance.meanDifference(), significance.pValue(),
                significance.pValue() < 0.05 ? " (significant at 0.05)" : " (not significant at 0.05)")));

        step(out, 8, "The request", "What step 6 ran, in the rankql DSL and as the Elasticsearch JSON it translates to:");
        out.println(indent(Dsl.print(ltrRequest)));
        out.println(indent(EsJson.writeSearch(ltrRequest)));
        out.println();
        out.println("Next: run the same loop on your data with rankql eval, rankql train and rankql run (docs/relevance.md).");
        if (dir != null) {
            QueriesFile.write(data.resolve("demo-queries.jsonl"), collection.queries());
            QrelsFile.write(data.resolve("demo-qrels.tsv"), collection.qrels());
            out.println("The index, the model, demo-queries.jsonl and demo-qrels.tsv are kept in " + data
                    + ". Open the REPL with");
            out.println("  ./rankql --data " + dir + " repl");
            out.println("or measure BM25 and the model yourself:");
            out.println("  ./rankql --data " + dir + " eval " + collection.index() + " --queries " + dir
                    + "/demo-queries.jsonl --qrels " + dir + "/demo-qrels.tsv --size " + WINDOW + " \\");
            out.println("      --request '" + ltrRequest(collection.bm25()).replace("\n", " ") + "' \\");
            out.println("      --compare '" + collection.bm25() + "' --format table");
        } else {
            out.println("The index was temporary. Keep it with ./rankql demo --dir demo-data, then open the REPL with");
            out.println("  ./rankql --data demo-data repl");
        }
    }

    private Map<String, String> withSeed(Map<String, String> params) {
        var all = new java.util.LinkedHashMap<>(params);
        all.put("seed", Long.toString(seed));
        return all;
    }

    /** The DSL of the BM25 request with the model rescoring its top {@link #WINDOW} hits. */
    static String ltrRequest(String bm25) {
        String query = bm25.strip();
        if (!query.startsWith("QUERY ")) {
            throw new IllegalStateException("the demo's BM25 request must start with QUERY: " + bm25);
        }
        return "RETRIEVE standard(" + query.substring("QUERY ".length()) + ")\n| RESCORE ltr(\"" + MODEL_ID
                + "\", params: {query_text: \"{{query_text}}\"}) WINDOW " + WINDOW + "\nSIZE 10";
    }

    private Collection catalogue(Engine engine, Path data, PrintWriter out) throws IOException {
        DemoCatalogue catalogue;
        try {
            catalogue = DemoCatalogue.generate(products, seed);
        } catch (IllegalArgumentException e) {
            throw CommandFailure.badRequest("--products: " + e.getMessage());
        }
        var qrels = catalogue.qrels();
        step(out, 1, "Data", catalogue.products().size() + " generated products (seed " + seed + ") and "
                + catalogue.queries().size() + " queries such as \"" + catalogue.queries().get(1).text()
                + "\", judged by a relevance function that BM25 cannot see: only products of the asked kind are "
                + "relevant (not the accessories whose text mentions it), a product whose trait the query names "
                + "gains a grade, bestsellers (top 30% of sales, 4+ stars) gain one, products released before "
                + DemoCatalogue.OLD_BEFORE + " lose one (grades 0-3; docs/relevance.md).");
        var ndjson = new StringBuilder();
        for (var product : catalogue.products()) {
            ndjson.append(Json.write(product.toJson())).append('\n');
        }
        long start = System.nanoTime();
        engine.createIndex("products", resource("products-mapping.json"));
        var bulk = engine.ingestJsonLines("products", new StringReader(ndjson.toString()), RefreshPolicy.WAIT_FOR);
        if (bulk.errors()) {
            throw CommandFailure.failed("indexing the catalogue failed", null);
        }
        step(out, 2, "Index", String.format(Locale.ROOT, "Created index \"products\" in %s and indexed the %d "
                + "products in %.1f s: title and description with the english analyzer, brand and category as "
                + "keywords, price, rating, sales and year as numbers.", data, catalogue.products().size(),
                (System.nanoTime() - start) / 1e9));
        return new Collection("products", catalogue.queries(), qrels, resource("products-features.json"),
                "QUERY multi_match(\"{{query_text}}\", fields: [title^2, description])",
                List.of("title", "category", "sales", "rating", "year"), Map.of());
    }

    private Collection collection(Engine engine, Path data, PrintWriter out) throws IOException {
        Path root = Path.of(corpus);
        Path corpusFile = root.resolve("corpus.jsonl");
        Path queriesFile = root.resolve("queries.jsonl");
        Path qrelsFile = root.resolve("qrels/train.tsv");
        for (Path file : List.of(corpusFile, queriesFile, qrelsFile)) {
            if (!Files.isRegularFile(file)) {
                throw CommandFailure.notFound("--corpus " + corpus + ": no file " + file
                        + " (expected corpus.jsonl, queries.jsonl and qrels/train.tsv)");
            }
        }
        Qrels qrels = TemplateSearches.qrels(qrelsFile.toString());
        List<Query> queries = TemplateSearches.queries(queriesFile.toString());
        var judged = new ArrayList<>(qrels.queriesWithRelevant());
        if (maxQueries != null) {
            if (maxQueries < 8) {
                throw CommandFailure.badRequest("--max-queries must be at least 8, got " + maxQueries);
            }
            judged = new ArrayList<>(judged.subList(0, Math.min(maxQueries, judged.size())));
        }
        qrels = qrels.restrictTo(judged);
        step(out, 1, "Data", queries.size() + " queries in " + queriesFile + ", of which " + judged.size()
                + " are judged with a relevant document in " + qrelsFile + " (the only judgments used).");
        long start = System.nanoTime();
        engine.createIndex("corpus", resource("corpus-mapping.json"));
        try (var reader = Files.newBufferedReader(corpusFile, StandardCharsets.UTF_8)) {
            var bulk = engine.ingestJsonLines("corpus", reader, RefreshPolicy.WAIT_FOR);
            if (bulk.errors()) {
                throw CommandFailure.failed("indexing " + corpusFile + " failed; check it with rankql ingest", null);
            }
        } catch (NoSuchFileException e) {
            throw CommandFailure.notFound("no such file: " + corpusFile);
        }
        step(out, 2, "Index", String.format(Locale.ROOT, "Created index \"corpus\" in %s and indexed %s in %.1f s "
                + "(title and text with the english analyzer).", data, corpusFile, (System.nanoTime() - start) / 1e9));
        return new Collection("corpus", queries, qrels, resource("corpus-features.json"),
                "QUERY multi_match(\"{{query_text}}\", fields: [title, text])", List.of("title"), SMALL_DATA_PARAMS);
    }

    private static String resource(String name) {
        try (InputStream in = DemoCommand.class.getResourceAsStream("demo/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the demo resource " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String hitTable(SearchResponse response, Collection collection, String queryId) {
        var rows = new ArrayList<List<String>>();
        var header = new ArrayList<>(List.of("#", "_id", "_score"));
        header.addAll(collection.columns());
        header.add("grade");
        rows.add(header);
        var grades = collection.qrels().judgments(queryId);
        int rank = 0;
        for (var hit : response.hits()) {
            var row = new ArrayList<>(List.of(Integer.toString(++rank), hit.id(),
                    hit.score().map(s -> String.format(Locale.ROOT, "%.3f", s)).orElse("-")));
            for (String column : collection.columns()) {
                row.add(hit.source().map(s -> cut(s.path(column).asString(""))).orElse(""));
            }
            row.add(Integer.toString(grades.getOrDefault(hit.id(), 0)));
            rows.add(row);
        }
        return Tables.render(rows);
    }

    private static String sideBySide(SearchResponse bm25, SearchResponse ltr, Collection collection, String queryId) {
        var grades = collection.qrels().judgments(queryId);
        var rows = new ArrayList<List<String>>();
        rows.add(List.of("#", "BM25", "g", "BM25 + LTR", "g"));
        int n = Math.max(bm25.hits().size(), ltr.hits().size());
        for (int i = 0; i < n; i++) {
            rows.add(List.of(Integer.toString(i + 1), label(bm25, i), grade(bm25, i, grades), label(ltr, i),
                    grade(ltr, i, grades)));
        }
        return Tables.render(rows);
    }

    private static String label(SearchResponse response, int i) {
        if (i >= response.hits().size()) {
            return "";
        }
        var hit = response.hits().get(i);
        return cut(hit.source().map(s -> s.path("title").asString("")).filter(t -> !t.isBlank()).orElse(hit.id()));
    }

    private static String grade(SearchResponse response, int i, Map<String, Integer> grades) {
        return i >= response.hits().size() ? "" : Integer.toString(grades.getOrDefault(response.hits().get(i).id(), 0));
    }

    private static String cut(String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= CELL ? flat : flat.substring(0, CELL - 1) + "…";
    }

    private static double totalGain(LtrTraining.Outcome outcome) {
        double total = 0;
        for (var entry : outcome.importance()) {
            total += entry.getValue();
        }
        return total > 0 ? total : 1;
    }

    private static String decimal(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }

    private static void step(PrintWriter out, int number, String title, String text) {
        out.println(number + ". " + title + ". " + wrap(text, 3));
        out.flush();
    }

    /** Wraps {@code text} at 110 columns, indenting continuation lines. */
    private static String wrap(String text, int indent) {
        var lines = new StringBuilder();
        var line = new StringBuilder();
        int width = 110 - indent;
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.append(line).append('\n').append(" ".repeat(indent));
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        return lines.append(line).toString();
    }

    private static String indent(String text) {
        return text.stripTrailing().lines().map(l -> l.isEmpty() ? l : "   " + l)
                .reduce((a, b) -> a + "\n" + b).orElse("");
    }

    private static void deleteRecursively(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (var walk = Files.walk(folder)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the demo's temporary directory " + folder, e);
        }
    }
}
