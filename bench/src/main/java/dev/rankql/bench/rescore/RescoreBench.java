package dev.rankql.bench.rescore;

import dev.rankql.ast.Value;
import dev.rankql.bench.engine.Corpus;
import dev.rankql.bench.engine.EngineBench;
import dev.rankql.bench.engine.Stats;
import dev.rankql.bench.models.ObjectWalker;
import dev.rankql.engine.Engine;
import dev.rankql.engine.RefreshPolicy;
import dev.rankql.engine.ltr.DeployedModel;
import dev.rankql.engine.search.IndexView;
import dev.rankql.engine.search.PerFieldSimilarity;
import dev.rankql.engine.search.SearchExecutor;
import dev.rankql.models.TreeEnsemble;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.FSDirectory;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The harness of {@code rankql bench rescore}: builds the corpus index through rankql, trains and deploys the model,
 * takes each measured query's first-pass window once, checks that rankql and both peers return the same scores and
 * order, then times the rescore stage alone on one thread, the three sides interleaved query by query (the first side
 * rotating), warm-up rounds discarded, each figure the median over measured rounds of a per-round statistic.
 */
public final class RescoreBench {

    static final String INDEX = "bench";
    static final String MODEL_ID = "bench-ltr";

    /** The three sides, by their key in the JSON. */
    enum Side {
        RANKQL("rankql"),
        HANDWRITTEN("handwritten"),
        ES_STYLE("es_style");

        final String key;

        Side(String key) {
            this.key = key;
        }
    }

    /**
     * What to run.
     *
     * @param docs corpus size
     * @param queries measured queries (each with at least the largest window of first-pass hits)
     * @param rounds measured rounds
     * @param warmup warm-up rounds, discarded
     * @param trees trees of the model
     * @param depth depth of its trees
     * @param trainQueries training queries of the generated judgments
     * @param perQuery judged documents per training query
     * @param windows the window sizes
     * @param gateQueries queries checked by the correctness gate, per window
     * @param seed the corpus seed
     * @param mode the mode's name
     */
    public record Config(
            int docs, int queries, int rounds, int warmup, int trees, int depth, int trainQueries, int perQuery,
            List<Integer> windows, int gateQueries, long seed, String mode) {
        public Config {
            windows = List.copyOf(windows);
            if (docs < 1 || queries < 1 || rounds < 1 || warmup < 0 || trees < 1 || depth < 1 || trainQueries < 1
                    || perQuery < 2 || windows.isEmpty() || gateQueries < 1) {
                throw new IllegalArgumentException("sizes must be positive and warm-up not negative");
            }
        }

        /** The quick mode: 100k documents, 500 trees of depth 6, windows 100 and 1000; a few minutes on 2 cores. */
        public static Config quick() {
            return new Config(100_000, 60, 5, 2, 500, 6, 200, 100, List.of(100, 1000), 10, 42, "quick");
        }

        /** The full mode: 1M documents. */
        public static Config full() {
            return new Config(1_000_000, 200, 5, 2, 500, 6, 300, 100, List.of(100, 1000), 20, 42, "full");
        }

        /** This config with the given corpus size, rounds and measured queries. */
        public Config with(int docs, int rounds, int queries) {
            return new Config(docs, queries, rounds, warmup, trees, depth, trainQueries, perQuery, windows, gateQueries,
                    seed, mode);
        }
    }

    /** Per-round values of every series, with what describes the run. */
    public record Result(Config config, Map<String, double[]> rounds, int gateChecked, int segments, double loadBefore,
            double loadAfter, String started) {

        public Result {
            rounds = Map.copyOf(rounds);
        }

        /** The median over measured rounds of series {@code key}. */
        public double median(String key) {
            return Stats.median(rounds.get(key));
        }

        /** Series key of a side, window and statistic. */
        static String key(Side side, int window, String stat) {
            return side.key + "_w" + window + "_" + stat;
        }

        double ratio(Side theirs, int window, String stat) {
            return median(key(Side.RANKQL, window, stat)) / median(key(theirs, window, stat));
        }

        /** The result as one JSON object: ratios first, then every series' median and per-round values, run, machine. */
        public ObjectNode toJson() {
            var json = JsonNodeFactory.instance.objectNode();
            int large = config.windows().get(config.windows().size() - 1);
            int small = config.windows().get(0);
            for (int w : config.windows()) {
                json.put("rescore_vs_handwritten_w" + w, round(ratio(Side.HANDWRITTEN, w, "p50_ms"), 4));
                json.put("rescore_vs_es_style_w" + w, round(ratio(Side.ES_STYLE, w, "p50_ms"), 4));
                json.put("rescore_cpu_vs_handwritten_w" + w, round(ratio(Side.HANDWRITTEN, w, "cpu_p50_ms"), 4));
                json.put("rescore_cpu_vs_es_style_w" + w, round(ratio(Side.ES_STYLE, w, "cpu_p50_ms"), 4));
            }
            if (large > small) {
                // Issue 8's key: rankql's bytes per rescored document, (W = large - W = small) / (large - small).
                json.put("alloc_bytes_per_doc", round((median(key(Side.RANKQL, large, "alloc_bytes"))
                        - median(key(Side.RANKQL, small, "alloc_bytes"))) / (large - small), 1));
                for (var side : Side.values()) {
                    json.put(side.key + "_alloc_bytes_per_doc", round((median(key(side, large, "alloc_bytes"))
                            - median(key(side, small, "alloc_bytes"))) / (large - small), 1));
                }
            }
            for (var entry : new java.util.TreeMap<>(rounds).entrySet()) {
                json.put(entry.getKey(), round(median(entry.getKey()), 4));
            }
            var perRound = json.putObject("rounds");
            for (var entry : new java.util.TreeMap<>(rounds).entrySet()) {
                var array = perRound.putArray(entry.getKey());
                for (var v : entry.getValue()) {
                    array.add(round(v, 4));
                }
            }
            var run = json.putObject("run");
            run.put("mode", config.mode());
            run.put("started", started);
            run.put("docs", config.docs());
            run.put("queries", config.queries());
            run.put("rounds", config.rounds());
            run.put("warmup_rounds", config.warmup());
            run.put("features", 20);
            run.put("trees", config.trees());
            run.put("depth", config.depth());
            run.put("train_queries", config.trainQueries());
            run.put("judged_per_query", config.perQuery());
            var windows = run.putArray("windows");
            config.windows().forEach(windows::add);
            run.put("seed", config.seed());
            run.put("gate_rankings_checked", gateChecked);
            run.put("segments", segments);
            var machine = json.putObject("machine");
            machine.put("cpus", Runtime.getRuntime().availableProcessors());
            machine.put("jdk", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"));
            machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
            machine.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
            machine.put("load_average_before", round(loadBefore, 2));
            machine.put("load_average_after", round(loadAfter, 2));
            return json;
        }

        /** The Markdown table: per window, each side's figures and rankql's ratios against the goals. */
        public String toMarkdown() {
            var out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "rankql bench rescore (%s): %,d docs, %d segments, 20 features, %d trees of "
                    + "depth %d, %d queries × %d measured rounds (+%d warm-up), load average %.2f → %.2f%n%n", config.mode(),
                    config.docs(), segments, config.trees(), config.depth(), config.queries(), config.rounds(), config.warmup(),
                    loadBefore, loadAfter));
            out.append("| window | measure (median of rounds) | rankql | hand-written Lucene | ES-style | rankql ÷ hand-written"
                    + " | rankql ÷ ES-style |\n");
            out.append("|---:|---|---:|---:|---:|---:|---:|\n");
            for (int w : config.windows()) {
                row(out, w, "p50, ms", "p50_ms", "%.3f");
                row(out, w, "p99, ms", "p99_ms", "%.3f");
                row(out, w, "p50 thread CPU, ms", "cpu_p50_ms", "%.3f");
                row(out, w, "allocated, bytes/query", "alloc_bytes", "%,.0f");
            }
            out.append("\nGoals (p50): rankql ÷ hand-written ≤ 1.0, rankql ÷ ES-style ≤ 0.2.\n");
            return out.toString();
        }

        private void row(StringBuilder out, int w, String label, String stat, String format) {
            out.append("| ").append(w).append(" | ").append(label);
            for (var side : Side.values()) {
                out.append(" | ").append(String.format(Locale.ROOT, format, median(key(side, w, stat))));
            }
            out.append(String.format(Locale.ROOT, " | %.3f | %.3f |%n", ratio(Side.HANDWRITTEN, w, stat),
                    ratio(Side.ES_STYLE, w, stat)));
        }
    }

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final Config config;
    private final PrintStream progress;
    private long sink;

    public RescoreBench(Config config, PrintStream progress) {
        this.config = config;
        this.progress = progress;
    }

    /**
     * The three sides bound to one searcher, model and feature set; rankql rescores in place, on its own copy of each
     * window ({@code windows}), the peers on copies they make themselves.
     */
    record Sides(IndexView view, IndexSearcher searcher, DeployedModel deployed, HandWrittenLoop hand, EsStylePipeline es,
            InPlaceWindows windows) {

        ScoreDoc[] run(Side side, String text, Map<String, Value> params, ScoreDoc[] hits) throws IOException {
            return switch (side) {
                case RANKQL -> SearchExecutor.rescoreWithModel(view, searcher, deployed, params, windows.restore(hits));
                case HANDWRITTEN -> hand.rescore(text, hits);
                case ES_STYLE -> es.rescore(text, hits);
            };
        }
    }

    /** Generates the corpus under {@code work} (a scratch directory), runs the benchmark and returns the rounds. */
    public Result run(Path work) throws IOException {
        var started = Instant.now().toString();
        double loadBefore = loadAverage();
        progress.printf(Locale.ROOT, "rescore bench: generating %,d documents%n", config.docs());
        var corpus = Corpus.generate(work.resolve("corpus"), config.docs(), 10_000, Corpus.QUERIES, config.seed());
        var dataDir = work.resolve("data");
        progress.println("rescore bench: indexing through rankql");
        try (var engine = Engine.open(dataDir)) {
            engine.createIndex(INDEX, EngineBench.INDEX_BODY);
            for (var batch : corpus.batches()) {
                try (var reader = Files.newBufferedReader(batch, StandardCharsets.UTF_8)) {
                    var response = engine.ingestJsonLines(INDEX, reader, RefreshPolicy.NONE);
                    if (response.errors()) {
                        throw new IllegalStateException("rankql rejected a benchmark document");
                    }
                }
            }
        }
        EngineBench.deleteRecursively(corpus.dir());
        try (var engine = Engine.open(dataDir);
                var directory = FSDirectory.open(dataDir.resolve(INDEX).resolve("lucene"));
                var reader = DirectoryReader.open(directory)) {
            var searcher = new IndexSearcher(reader);
            searcher.setSimilarity(new PerFieldSimilarity(1.2f, 0.75f));
            // Every side creates its weights per request; a query cache would let later sides reuse earlier ones' work.
            searcher.setQueryCache(null);
            var features = new RescoreFeatures();
            progress.printf(Locale.ROOT, "rescore bench: training %d trees of depth %d (xgboost4j rank:ndcg, cached)%n",
                    config.trees(), config.depth());
            long trainStart = System.nanoTime();
            var modelText = RescoreModel.train(searcher, features, config.docs(), config.seed(), config.trees(), config.depth(),
                    config.trainQueries(), config.perQuery());
            progress.printf(Locale.ROOT, "rescore bench: model ready in %.1f s%n", (System.nanoTime() - trainStart) / 1e9);
            engine.putModel(MODEL_ID, "xgboost", modelText, features.featureSetJson(), false);
            var deployed = engine.models().require(MODEL_ID);
            var ensemble = (TreeEnsemble) deployed.model();
            var metadata = engine.getIndex(INDEX);
            var view = new IndexView(INDEX, metadata.settings(), metadata.mappings(), metadata.mappings().flatten());
            var sides = new Sides(view, searcher, deployed, new HandWrittenLoop(searcher, features, ensemble),
                    new EsStylePipeline(searcher, features, ObjectWalker.of(ensemble)), new InPlaceWindows());
            int largest = config.windows().stream().mapToInt(Integer::intValue).max().orElseThrow();
            var texts = new ArrayList<String>();
            for (var text : corpus.queries()) {
                if (texts.size() < config.queries() && searcher.count(features.firstPass(text)) >= largest) {
                    texts.add(text);
                }
            }
            if (texts.isEmpty()) {
                throw new IllegalStateException("no query has " + largest + " first-pass hits; the corpus is too small");
            }
            var params = new ArrayList<Map<String, Value>>();
            var windows = new LinkedHashMap<Integer, List<ScoreDoc[]>>();
            for (int w : config.windows()) {
                var list = new ArrayList<ScoreDoc[]>();
                for (var text : texts) {
                    list.add(searcher.search(features.firstPass(text), w).scoreDocs);
                }
                windows.put(w, list);
            }
            for (var text : texts) {
                params.add(Map.of(RescoreFeatures.PARAM, new Value.Str(text)));
            }
            int checked = gate(sides, texts, params, windows, config.gateQueries());
            progress.printf(Locale.ROOT, "rescore bench: %d queries with ≥ %d hits; gate passed on %d rankings "
                    + "(rankql, hand-written and ES-style agree)%n", texts.size(), largest, checked);
            var rounds = new LinkedHashMap<String, double[]>();
            for (int round = 0; round < config.warmup() + config.rounds(); round++) {
                measureRound(sides, texts, params, windows, round, rounds);
            }
            progress.println("(sink " + sink + ")");
            return new Result(config, rounds, checked, reader.leaves().size(), loadBefore, loadAverage(), started);
        }
    }

    /**
     * The correctness gate: for the first queries of each window the three sides return the same documents in the
     * same order with scores equal within 1e-5 relative (documents whose scores tie within that may swap); throws
     * {@link IllegalStateException} naming the first difference. Returns the number of rankings compared.
     */
    static int gate(Sides sides, List<String> texts, List<Map<String, Value>> params, Map<Integer, List<ScoreDoc[]>> windows,
            int queries) throws IOException {
        int checked = 0;
        for (var entry : windows.entrySet()) {
            int gateCount = Math.min(texts.size(), queries);
            for (int q = 0; q < gateCount; q++) {
                var hits = entry.getValue().get(q);
                var ours = sides.run(Side.RANKQL, texts.get(q), params.get(q), hits);
                for (var peer : List.of(Side.HANDWRITTEN, Side.ES_STYLE)) {
                    var theirs = sides.run(peer, texts.get(q), params.get(q), hits);
                    compare(ours, theirs, "window " + entry.getKey() + ", query " + q + " [" + texts.get(q) + "], rankql vs "
                            + peer.key);
                    checked++;
                }
            }
        }
        return checked;
    }

    static void compare(ScoreDoc[] ours, ScoreDoc[] theirs, String where) {
        compare(ours, theirs, where, RescoreBench::close);
    }

    /**
     * Two rescored windows: the same documents with scores {@code close}, in the same order except where scores are
     * {@code close} to each other; throws {@link IllegalStateException} naming the first difference.
     */
    public static void compare(ScoreDoc[] ours, ScoreDoc[] theirs, String where,
            java.util.function.BiPredicate<Float, Float> close) {
        if (ours.length != theirs.length) {
            throw new IllegalStateException("rescore correctness gate failed at " + where + ": " + ours.length + " hits vs "
                    + theirs.length);
        }
        var byDoc = new java.util.HashMap<Integer, Float>();
        for (var hit : theirs) {
            byDoc.put(hit.doc, hit.score);
        }
        for (int i = 0; i < ours.length; i++) {
            Float other = byDoc.get(ours[i].doc);
            if (other == null || !close.test(ours[i].score, other)) {
                throw new IllegalStateException("rescore correctness gate failed at " + where + ": doc " + ours[i].doc
                        + " scores " + ours[i].score + " in rankql, " + other + " in the peer");
            }
            if (ours[i].doc != theirs[i].doc && !close.test(ours[i].score, theirs[i].score)) {
                throw new IllegalStateException("rescore correctness gate failed at " + where + ": rank " + (i + 1) + " is doc "
                        + ours[i].doc + " (" + ours[i].score + ") in rankql, doc " + theirs[i].doc + " (" + theirs[i].score
                        + ") in the peer");
            }
        }
    }

    private static boolean close(float a, float b) {
        return Math.abs(a - b) <= Math.max(1e-6, 1e-5 * Math.max(Math.abs(a), Math.abs(b)));
    }

    private void measureRound(Sides sides, List<String> texts, List<Map<String, Value>> params,
            Map<Integer, List<ScoreDoc[]>> windows, int round, Map<String, double[]> rounds) throws IOException {
        boolean warmup = round < config.warmup();
        int measured = round - config.warmup();
        var all = Side.values();
        gc();
        for (var entry : windows.entrySet()) {
            int w = entry.getKey();
            int n = texts.size();
            var wall = new double[all.length][n];
            var cpu = new double[all.length][n];
            var alloc = new double[all.length][n];
            for (int q = 0; q < n; q++) {
                var hits = entry.getValue().get(q);
                for (int step = 0; step < all.length; step++) {
                    var side = all[(q + round + step) % all.length];
                    long allocStart = THREADS.getCurrentThreadAllocatedBytes();
                    long cpuStart = THREADS.getCurrentThreadCpuTime();
                    long start = System.nanoTime();
                    var result = sides.run(side, texts.get(q), params.get(q), hits);
                    long nanos = System.nanoTime() - start;
                    long cpuNanos = THREADS.getCurrentThreadCpuTime() - cpuStart;
                    long bytes = THREADS.getCurrentThreadAllocatedBytes() - allocStart;
                    sink += result.length == 0 ? 0 : result[0].doc;
                    wall[side.ordinal()][q] = nanos / 1e6;
                    cpu[side.ordinal()][q] = cpuNanos / 1e6;
                    alloc[side.ordinal()][q] = bytes;
                }
            }
            var line = new StringBuilder(String.format(Locale.ROOT, "round %d%s w=%d", round + 1, warmup ? " (warm-up)" : "", w));
            for (var side : all) {
                int s = side.ordinal();
                double p50 = Stats.median(wall[s]);
                line.append(String.format(Locale.ROOT, "  %s p50 %.3f ms cpu %.3f ms %,.0f B", side.key, p50,
                        Stats.median(cpu[s]), Stats.median(alloc[s])));
                if (!warmup) {
                    put(rounds, Result.key(side, w, "p50_ms"), measured, p50);
                    put(rounds, Result.key(side, w, "p99_ms"), measured, Stats.percentile(wall[s], 99));
                    put(rounds, Result.key(side, w, "cpu_p50_ms"), measured, Stats.median(cpu[s]));
                    put(rounds, Result.key(side, w, "alloc_bytes"), measured, Stats.median(alloc[s]));
                }
            }
            progress.println(line);
        }
    }

    private void put(Map<String, double[]> rounds, String key, int round, double value) {
        rounds.computeIfAbsent(key, k -> new double[config.rounds()])[round] = value;
    }

    private static void gc() {
        System.gc();
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    static double round(double value, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }
}
