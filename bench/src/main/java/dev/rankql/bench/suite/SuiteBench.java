package dev.rankql.bench.suite;

import dev.rankql.ast.SearchRequest;
import dev.rankql.ast.Value;
import dev.rankql.bench.engine.Corpus;
import dev.rankql.bench.engine.EngineBench;
import dev.rankql.bench.engine.FirstPass;
import dev.rankql.bench.engine.Stats;
import dev.rankql.bench.models.ObjectWalker;
import dev.rankql.bench.rescore.EsStylePipeline;
import dev.rankql.bench.rescore.HandWrittenLoop;
import dev.rankql.bench.rescore.InPlaceWindows;
import dev.rankql.bench.rescore.RescoreFeatures;
import dev.rankql.bench.rescore.RescoreModel;
import dev.rankql.engine.Engine;
import dev.rankql.engine.RefreshPolicy;
import dev.rankql.engine.ltr.DeployedModel;
import dev.rankql.engine.search.IndexView;
import dev.rankql.engine.search.PerFieldSimilarity;
import dev.rankql.engine.search.SearchExecutor;
import dev.rankql.engine.search.SearchOptions;
import dev.rankql.json.EsJson;
import dev.rankql.models.LoadOptions;
import dev.rankql.models.Model;
import dev.rankql.models.TreeEnsemble;
import dev.rankql.models.formats.Models;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopScoreDocCollectorManager;
import org.apache.lucene.store.FSDirectory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The harness of {@code rankql bench [--quick]}: builds the corpus and its index, trains the models, passes the
 * correctness gate, then measures every stage of an LTR query against its peer, all sides interleaved query by query
 * within each round (the first side rotating), warm-up rounds discarded, each figure the median over measured rounds of
 * a per-round statistic.
 */
public final class SuiteBench {

    static final String INDEX = "bench";

    /** A model shape: {@code trees} trees of depth {@code depth}, or the linear model when {@code trees} is 0. */
    public record Shape(int trees, int depth) {
        public Shape {
            if (trees < 0 || (trees > 0 && depth < 1)) {
                throw new IllegalArgumentException("a tree shape needs trees and depth, got " + trees + "×" + depth);
            }
        }

        /** The linear model. */
        public static final Shape LINEAR = new Shape(0, 0);

        boolean linear() {
            return trees == 0;
        }

        String key() {
            return linear() ? "linear" : "gbdt" + trees + "x" + depth;
        }
    }

    /**
     * What to run.
     *
     * @param docs corpus size
     * @param batch documents per corpus file (one ingest request or raw commit each)
     * @param queries measured LTR queries (each with at least the largest window of first-pass hits)
     * @param rounds measured rounds
     * @param warmup warm-up rounds, discarded
     * @param featureSets the feature set sizes (5, 20, 50)
     * @param shapes the model shapes
     * @param windows the rescore windows
     * @param goal the configuration the headline ratios are taken at: features, shape and window
     * @param trainQueries training queries of the generated judgments
     * @param perQuery judged documents per training query
     * @param ingestDocs documents per ingest side and round (a prefix of the corpus, whole files)
     * @param ingestRounds measured ingest rounds (one more is run first as warm-up)
     * @param throughputMillis how long each side runs with two client threads per round
     * @param gateQueries queries the correctness gate checks per window
     * @param seed the corpus seed
     * @param mode the mode's name
     * @param cells what the cells off the goal configuration measure (the goal's feature set and shape measure
     *     {@code queries} queries in {@code rounds} rounds after {@code warmup})
     * @param jmh the budget of the model-only JMH figures, or null to leave them out
     */
    public record Config(
            int docs, int batch, int queries, int rounds, int warmup, List<Integer> featureSets, List<Shape> shapes,
            List<Integer> windows, Goal goal, int trainQueries, int perQuery, int ingestDocs, int ingestRounds,
            int throughputMillis, int gateQueries, long seed, String mode, CellBudget cells, ModelJmh.Budget jmh) {
        public Config {
            featureSets = List.copyOf(featureSets);
            shapes = List.copyOf(shapes);
            windows = List.copyOf(windows);
            if (docs < 1 || batch < 1 || queries < 1 || rounds < 1 || warmup < 0 || trainQueries < 1 || perQuery < 2
                    || ingestDocs < 1 || ingestRounds < 1 || throughputMillis < 1 || gateQueries < 1) {
                throw new IllegalArgumentException("sizes must be positive and warm-up not negative");
            }
            // Other cells never measure more than the goal's, and run within the goal's rounds.
            cells = new CellBudget(Math.min(cells.queries(), queries), Math.min(cells.rounds(), rounds),
                    Math.min(cells.warmup(), warmup + rounds - Math.min(cells.rounds(), rounds)));
            if (!featureSets.contains(goal.features()) || !shapes.contains(goal.shape()) || !windows.contains(goal.window())
                    || goal.shape().linear()) {
                throw new IllegalArgumentException("the goal configuration " + goal + " must be a tree model the run measures");
            }
        }

        /** A config where every cell measures what the goal does, without the JMH figures. */
        public Config(int docs, int batch, int queries, int rounds, int warmup, List<Integer> featureSets, List<Shape> shapes,
                List<Integer> windows, Goal goal, int trainQueries, int perQuery, int ingestDocs, int ingestRounds,
                int throughputMillis, int gateQueries, long seed, String mode) {
            this(docs, batch, queries, rounds, warmup, featureSets, shapes, windows, goal, trainQueries, perQuery, ingestDocs,
                    ingestRounds, throughputMillis, gateQueries, seed, mode, new CellBudget(queries, rounds, warmup), null);
        }

        /**
         * The quick mode: the goal configuration (20 features, 500 trees of depth 6, W = 1000, plus W = 100 for the
         * allocation difference) on 100,000 documents; under five minutes on two cores, cold. Five measured rounds (and
         * five ingest rounds) rather than three (and two): the first-pass and ingest ratios moved by ±5 % between runs
         * of three, around goals 5 % wide.
         */
        public static Config quick() {
            return new Config(100_000, 10_000, 30, 5, 2, List.of(20), List.of(new Shape(500, 6)), List.of(100, 1000),
                    Goal.DEFAULT, 100, 100, 20_000, 5, 1500, 5, 42, "quick", new CellBudget(30, 5, 2), ModelJmh.Budget.QUICK);
        }

        /** The full mode: 1,000,000 documents, feature sets 5/20/50, linear and nine tree shapes, windows 10/100/1000. */
        public static Config full() {
            var shapes = new ArrayList<Shape>();
            shapes.add(Shape.LINEAR);
            for (int trees : new int[] {100, 500, 1000}) {
                for (int depth : new int[] {4, 6, 8}) {
                    shapes.add(new Shape(trees, depth));
                }
            }
            // 99 cells: the goal's feature set and shape keep 100 queries × 5 rounds, the others 30 × 3 (docs/performance.md).
            return new Config(1_000_000, 10_000, 100, 5, 2, List.of(5, 20, 50), shapes, List.of(10, 100, 1000), Goal.DEFAULT,
                    300, 100, 100_000, 3, 3000, 10, 42, "full", new CellBudget(30, 3, 1), ModelJmh.Budget.FULL);
        }

        /** This config with the given corpus size, measured rounds and measured queries. */
        public Config with(int docs, int rounds, int queries) {
            return new Config(docs, batch, queries, rounds, warmup, featureSets, shapes, windows, goal, trainQueries, perQuery,
                    Math.min(ingestDocs, docs), ingestRounds, throughputMillis, gateQueries, seed, mode,
                    new CellBudget(Math.min(cells.queries(), queries), Math.min(cells.rounds(), rounds), cells.warmup()), jmh);
        }

        /** This config with {@code count} training queries for the judgments. */
        public Config withTrainQueries(int count) {
            return new Config(docs, batch, queries, rounds, warmup, featureSets, shapes, windows, goal, count, perQuery,
                    ingestDocs, ingestRounds, throughputMillis, gateQueries, seed, mode, cells, jmh);
        }

        /** This config with another JMH budget (null: no JMH figures). */
        public Config withJmh(ModelJmh.Budget budget) {
            return new Config(docs, batch, queries, rounds, warmup, featureSets, shapes, windows, goal, trainQueries, perQuery,
                    ingestDocs, ingestRounds, throughputMillis, gateQueries, seed, mode, cells, budget);
        }

        /** What a cell measures: the goal's budget for the goal's feature set and shape, else {@link #cells}. */
        CellBudget budget(int features, Shape shape) {
            return features == goal.features() && (shape.equals(goal.shape()) || shape.linear())
                    ? new CellBudget(queries, rounds, warmup) : cells;
        }

        /** The smaller window of the allocation difference: the largest window below the goal's. */
        int smallWindow() {
            return windows.stream().filter(w -> w < goal.window()).mapToInt(Integer::intValue).max().orElse(goal.window());
        }
    }

    /**
     * What one cell (feature set × model × window) measures: its first {@code queries} measured queries in the first
     * {@code warmup + rounds} rounds.
     */
    public record CellBudget(int queries, int rounds, int warmup) {
        public CellBudget {
            if (queries < 1 || rounds < 1 || warmup < 0) {
                throw new IllegalArgumentException("a cell needs queries and rounds, got " + queries + " × " + rounds);
            }
        }
    }

    /** The configuration of the headline ratios. */
    public record Goal(int features, Shape shape, int window) {
        /** 20 features, 500 trees of depth 6, W = 1000. */
        public static final Goal DEFAULT = new Goal(20, new Shape(500, 6), 1000);
    }

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final Config config;
    private final Path cache;
    private final PrintStream progress;
    private final Path corpusFiles;
    private List<String> trainingTexts;
    private final Map<String, double[]> rounds = new LinkedHashMap<>();
    private final ObjectNode facts = JsonNodeFactory.instance.objectNode();
    private long sink;
    private long[] lastStages = new long[5];

    /** A harness for {@code config} that caches trained models in {@code cache} and reports progress there. */
    public SuiteBench(Config config, Path cache, PrintStream progress) {
        this(config, cache, progress, null);
    }

    /**
     * As above, on the corpus in {@code corpusFiles} ({@code docs-*.jsonl}, as {@link GcideWordnet} writes) instead of the
     * synthetic one when it is not null.
     */
    public SuiteBench(Config config, Path cache, PrintStream progress, Path corpusFiles) {
        this.config = config;
        this.cache = cache;
        this.progress = progress;
        this.corpusFiles = corpusFiles;
    }

    /** One timed call: returns a value depending on the result, so the JIT cannot drop the work. */
    @FunctionalInterface
    interface Call {
        long run(int q) throws Exception;
    }

    /** One side of a comparison: its series prefix and the call it times per query. */
    record Side(String key, Call call, boolean staged) {
        Side(String key, Call call) {
            this(key, call, false);
        }
    }

    /** Everything a (feature set, model shape) pair measures. */
    private record Combo(String key, int features, Shape shape, RescoreFeatures set, DeployedModel deployed, Model model,
            ObjectWalker walker, NativePeers.Xgboost xgboost, Model lightgbmModel, NativePeers.LightGbm lightgbm,
            HandWrittenLoop hand, EsStylePipeline es, SolrStylePipeline solr, String xgboostJson, String lightgbmText) {}

    /** Generates the corpus under {@code work} (a scratch directory), runs the suite and returns the result. */
    public Result run(Path work) throws Exception {
        long wallStart = System.nanoTime();
        var started = Instant.now().toString();
        double loadBefore = EngineBench.loadAverage();
        var dataDir = work.resolve("data");
        var cachedBuild = new IndexCache(cache).restore(indexKey(), dataDir);
        long phaseStart = System.nanoTime();
        var corpus = corpus(work.resolve("corpus"), cachedBuild.isPresent());
        phaseStart = phase("corpus", phaseStart);
        ingestRounds(corpus, work.resolve("ingest"));
        phaseStart = phase("ingest", phaseStart);
        if (cachedBuild.isPresent()) {
            progress.printf(Locale.ROOT, "bench: the search index of this corpus comes from %s%n", cache);
            facts.setAll(cachedBuild.get());
            facts.put("index_cached", true);
        } else {
            buildIndex(corpus, dataDir);
        }
        var luceneDir = dataDir.resolve(INDEX).resolve("lucene");
        phaseStart = phase("index", phaseStart);

        try (var engine = Engine.open(dataDir);
                var directory = FSDirectory.open(luceneDir);
                var reader = DirectoryReader.open(directory);
                var firstPass = new FirstPass(engine, INDEX, luceneDir, corpus.queries(), FirstPass.TIE_BREAKER)) {
            var searcher = new IndexSearcher(reader);
            searcher.setSimilarity(new PerFieldSimilarity(1.2f, 0.75f));
            // Every side creates its weights per request; a query cache would let later sides reuse earlier ones' work.
            searcher.setQueryCache(null);
            facts.put("segments", reader.leaves().size());
            long compared = firstPass.verify();
            facts.put("gate_first_pass_hits", compared);
            progress.printf(Locale.ROOT, "bench: first-pass gate passed (%,d hits identical in rankql and raw Lucene)%n",
                    compared);
            var metadata = engine.getIndex(INDEX);
            var view = new IndexView(INDEX, metadata.settings(), metadata.mappings(), metadata.mappings().flatten());

            var setup = new Setup(engine, view, searcher);
            var texts = setup.measuredTexts(corpus.queries());
            var combos = setup.combos(texts);
            var windows = new LinkedHashMap<Integer, List<ScoreDoc[]>>();
            for (int w : config.windows()) {
                var list = new ArrayList<ScoreDoc[]>();
                for (var text : texts) {
                    list.add(searcher.search(combos.get(0).set().firstPass(text), w).scoreDocs);
                }
                windows.put(w, list);
            }
            try (var plan = setup.plan(combos, texts, windows, firstPass)) {
                progress.printf(Locale.ROOT, "bench: correctness gate passed (%,d rankings, %,d model rows compared)%n",
                    facts.get("gate_rankings").asLong(), facts.get("gate_model_rows").asLong());
                phaseStart = phase("models_and_gate", phaseStart);
                for (int round = 0; round < config.warmup() + config.rounds(); round++) {
                    measureRound(plan, round);
                }
                progress.println("(sink " + sink + ")");
                phaseStart = phase("rounds", phaseStart);
            }
        }
        EngineBench.deleteRecursively(corpus.dir());
        if (config.jmh() != null) {
            progress.printf(Locale.ROOT, "bench: model-only JMH figures (%s)%n", config.jmh().describe());
            facts.set("jmh_model", ModelJmh.run(config.shapes(), config.jmh(), progress));
            phase("jmh", phaseStart);
        }
        facts.put("wall_seconds", EngineBench.round((System.nanoTime() - wallStart) / 1e9, 1));
        return new Result(config, rounds, facts, loadBefore, EngineBench.loadAverage(), started);
    }

    /** Records the seconds since {@code start} as phase {@code name}; returns the time now. */
    private long phase(String name, long start) {
        long now = System.nanoTime();
        var phases = facts.has("phase_seconds") ? (ObjectNode) facts.get("phase_seconds") : facts.putObject("phase_seconds");
        phases.put(name, EngineBench.round((now - start) / 1e9, 1));
        return now;
    }

    /**
     * The corpus under {@code dir}: the synthetic one, or the files of {@link #corpusFiles}; when the index is cached,
     * only the documents the ingest rounds read are written (the synthetic corpus's first documents do not depend on
     * how many follow).
     */
    private Corpus corpus(Path dir, boolean indexCached) throws IOException {
        int docs = indexCached ? Math.min(config.docs(), config.ingestDocs() + config.batch()) : config.docs();
        if (corpusFiles != null) {
            progress.printf(Locale.ROOT, "bench: reading %,d documents from %s%n", docs, corpusFiles);
            // One draw gives the measured queries and, after them, the training queries, all from the files' vocabulary.
            var drawn = CorpusFiles.load(corpusFiles, dir, docs, config.batch(), Corpus.QUERIES + config.trainQueries(),
                    config.seed() + 1);
            var corpus = new Corpus(drawn.dir(), drawn.batches(), drawn.docs(), drawn.queries().subList(0, Corpus.QUERIES));
            trainingTexts = drawn.queries().subList(Corpus.QUERIES, drawn.queries().size());
            facts.put("corpus", "files in " + corpusFiles.toAbsolutePath() + " (" + CorpusFiles.count(corpusFiles)
                    + " documents" + (config.docs() > CorpusFiles.count(corpusFiles) ? ", repeated" : "") + ")");
            return corpus;
        }
        progress.printf(Locale.ROOT, "bench: generating %,d documents (seed %d)%n", docs, config.seed());
        facts.put("corpus", "synthetic Zipf, seed " + config.seed());
        return Corpus.generate(dir, docs, config.batch(), Corpus.QUERIES, config.seed());
    }

    /** Builds the search index through rankql at {@code dataDir}, records its figures and keeps it in the cache. */
    private void buildIndex(Corpus corpus, Path dataDir) throws IOException {
        progress.println("bench: building the search index through rankql");
        long buildStart = System.nanoTime();
        try (var engine = Engine.open(dataDir)) {
            engine.createIndex(INDEX, EngineBench.INDEX_BODY);
            for (var batch : corpus.batches()) {
                try (var reader = Files.newBufferedReader(batch, StandardCharsets.UTF_8)) {
                    EngineBench.requireNoErrors(engine.ingestJsonLines(INDEX, reader, RefreshPolicy.NONE));
                }
            }
        }
        double buildSeconds = (System.nanoTime() - buildStart) / 1e9;
        var build = JsonNodeFactory.instance.objectNode();
        build.put("index_build_docs_per_s", Math.round(config.docs() / buildSeconds));
        build.put("index_build_seconds", EngineBench.round(buildSeconds, 1));
        build.put("index_size_bytes", sizeOf(dataDir.resolve(INDEX).resolve("lucene")));
        facts.setAll(build);
        new IndexCache(cache).store(indexKey(), dataDir, build);
    }

    /**
     * What the built index depends on: the corpus (seed and size, or the files' names, sizes and times), the batch, the
     * mapping and the Lucene version. A change to how the engine indexes needs the cache deleted.
     */
    private String indexKey() throws IOException {
        var identity = new StringBuilder().append(config.docs()).append('|').append(config.batch()).append('|')
                .append(EngineBench.INDEX_BODY).append('|').append(org.apache.lucene.util.Version.LATEST);
        String kind;
        if (corpusFiles == null) {
            kind = "zipf";
            identity.append("|seed ").append(config.seed()).append('|').append(Corpus.VOCABULARY);
        } else {
            kind = "files";
            for (var file : CorpusFiles.files(corpusFiles)) {
                identity.append('|').append(file.toAbsolutePath()).append(' ').append(Files.size(file)).append(' ')
                        .append(Files.getLastModifiedTime(file).toMillis());
            }
        }
        return String.format(Locale.ROOT, "%s-%d-%016x", kind, config.docs(), GcideWordnet.hash(identity.toString()));
    }

    /** Ingest: rankql against a raw IndexWriter on the corpus's first files, interleaved by round. */
    private void ingestRounds(Corpus corpus, Path dir) throws IOException {
        int files = Math.max(1, Math.min(corpus.batches().size(), config.ingestDocs() / config.batch()));
        var batches = corpus.batches().subList(0, files);
        int docs = (int) Math.min(corpus.docs(), (long) files * config.batch());
        var slice = new Corpus(corpus.dir(), batches, docs, corpus.queries());
        for (int round = 0; round < 1 + config.ingestRounds(); round++) {
            boolean warmup = round == 0;
            for (int step = 0; step < 2; step++) {
                boolean rankql = (round + step) % 2 == 0;
                EngineBench.gc();
                var measured = rankql ? EngineBench.rankqlIngest(slice, dir, EngineBench.INDEX_BODY)
                        : EngineBench.luceneIngest(slice, dir);
                progress.printf(Locale.ROOT, "ingest round %d%s %-7s %,10.0f docs/s%n", round, warmup ? " (warm-up)" : "",
                        rankql ? "rankql" : "Lucene", measured[0]);
                if (!warmup) {
                    put("ingest." + (rankql ? "rankql" : "lucene") + ".docs_per_s", round - 1, config.ingestRounds(),
                            measured[0]);
                }
            }
        }
        facts.put("ingest_docs_per_side", docs);
    }

    /** The engine, view and searcher every side shares, and what is built on them. */
    private final class Setup {
        final Engine engine;
        final IndexView view;
        final IndexSearcher searcher;

        Setup(Engine engine, IndexView view, IndexSearcher searcher) {
            this.engine = engine;
            this.view = view;
            this.searcher = searcher;
        }

        /**
         * Names the corpus in the model cache's file names; for corpus files also their own training queries, which
         * the model cache's key does not otherwise see.
         */
        String corpusKey() throws IOException {
            return corpusFiles == null ? config.docs() + "d" : indexKey() + "-q" + Integer.toHexString(trainingTexts.hashCode());
        }

        List<String> measuredTexts(List<String> all) throws IOException {
            var features = new RescoreFeatures(20);
            int largest = config.windows().stream().mapToInt(Integer::intValue).max().orElseThrow();
            var texts = new ArrayList<String>();
            for (var text : all) {
                if (texts.size() < config.queries() && searcher.count(features.firstPass(text)) >= largest) {
                    texts.add(text);
                }
            }
            if (texts.isEmpty()) {
                throw new IllegalStateException("no query has " + largest + " first-pass hits; the corpus is too small");
            }
            facts.put("measured_queries", texts.size());
            return texts;
        }

        List<Combo> combos(List<String> texts) throws Exception {
            var combos = new ArrayList<Combo>();
            for (int f : config.featureSets()) {
                var set = new RescoreFeatures(f);
                long start = System.nanoTime();
                var data = trainingTexts == null
                        ? RescoreModel.data(searcher, set, corpusKey(), config.seed(), config.trainQueries(), config.perQuery())
                        : RescoreModel.data(searcher, set, corpusKey(), config.seed(), trainingTexts, config.perQuery());
                progress.printf(Locale.ROOT, "bench: %d-feature judgments: %,d rows in %.1f s%n", f, data.rowCount(),
                        (System.nanoTime() - start) / 1e9);
                facts.put("f" + f + "_training_rows", data.rowCount());
                var linearText = RescoreModel.linear(data, set, cache);
                var linearId = "f" + f + "-linear";
                engine.putModel(linearId, "linear", linearText, set.featureSetJson(), false);
                var linear = engine.models().require(linearId);
                combos.add(new Combo("f" + f + ".features", f, Shape.LINEAR, set, linear, linear.model(), null, null, null,
                        null, new HandWrittenLoop(searcher, set, linear.model()), null, null, null, null));
                for (var shape : config.shapes()) {
                    if (shape.linear()) {
                        continue;
                    }
                    start = System.nanoTime();
                    // One training thread: on a shared box, OpenMP threads spin at every barrier waiting for a core.
                    var json = RescoreModel.xgboost(data, shape.trees(), shape.depth(), 1, cache);
                    double xgbSeconds = (System.nanoTime() - start) / 1e9;
                    start = System.nanoTime();
                    var lgbm = RescoreModel.lightgbm(data, shape.trees(), shape.depth(), 1, cache);
                    progress.printf(Locale.ROOT, "bench: f%d %s ready: xgboost4j %.1f s, lightgbmlib %.1f s (cached in %s)%n",
                            f, shape.key(), xgbSeconds, (System.nanoTime() - start) / 1e9, cache);
                    var id = "f" + f + "-" + shape.key();
                    engine.putModel(id, "xgboost", json, set.featureSetJson(), false);
                    var deployed = engine.models().require(id);
                    var ensemble = (TreeEnsemble) deployed.model();
                    var walker = ObjectWalker.of(ensemble);
                    var lightgbmModel = Models.load("lightgbm", lgbm, LoadOptions.DEFAULTS);
                    int largest = config.windows().stream().mapToInt(Integer::intValue).max().orElseThrow();
                    combos.add(new Combo("f" + f + "." + shape.key(), f, shape, set, deployed, ensemble, walker,
                            new NativePeers.Xgboost(json, f), lightgbmModel, new NativePeers.LightGbm(lgbm, f, largest),
                            new HandWrittenLoop(searcher, set, ensemble), new EsStylePipeline(searcher, set, walker),
                            new SolrStylePipeline(searcher, set, walker), json, lgbm));
                }
                if (config.shapes().contains(Shape.LINEAR)) {
                    combos.add(new Combo("f" + f + ".linear", f, Shape.LINEAR, set, linear, linear.model(), null, null, null,
                            null, new HandWrittenLoop(searcher, set, linear.model()), null, null, null, null));
                }
            }
            return combos;
        }

        /** Builds every side, runs the correctness gate, and returns what the rounds measure. */
        Plan plan(List<Combo> combos, List<String> texts, Map<Integer, List<ScoreDoc[]>> windows, FirstPass firstPass)
                throws Exception {
            var params = texts.stream().map(t -> Map.<String, Value>of(RescoreFeatures.PARAM, new Value.Str(t))).toList();
            // rankql rescores in place, as inside a search: on its own copy of each window, restored before each call.
            var inPlace = new InPlaceWindows();
            var groups = new ArrayList<Group>();
            var allNatives = new ArrayList<com.microsoft.ml.lightgbm.SWIGTYPE_p_float>();
            long rankings = 0;
            long modelRows = 0;
            var goal = config.goal();
            for (var combo : combos) {
                for (int w : config.windows()) {
                    var hits = windows.get(w);
                    int n = texts.size();
                    var sorted = new int[n][];
                    var matrices = new float[n][];
                    for (int q = 0; q < n; q++) {
                        sorted[q] = Arrays.stream(hits.get(q)).mapToInt(d -> d.doc).sorted().toArray();
                        matrices[q] = combo.hand().extract(texts.get(q), sorted[q]);
                    }
                    var sides = new ArrayList<Side>();
                    String prefix = combo.key() + ".w" + w + ".";
                    if (combo.shape().linear()) {
                        // Features alone: the same rescore with a linear model, whose cost is microseconds on both sides.
                        String group = combo.key().endsWith(".features") ? "features" : "rescore";
                        sides.add(new Side(prefix + group + ".rankql", q -> SearchExecutor.rescoreWithModel(view, searcher,
                                combo.deployed(), params.get(q), inPlace.restore(hits.get(q)))[0].doc));
                        sides.add(new Side(prefix + group + ".handwritten",
                                q -> combo.hand().rescore(texts.get(q), hits.get(q))[0].doc));
                    } else {
                        var out = new double[w];
                        var natives = new com.microsoft.ml.lightgbm.SWIGTYPE_p_float[n];
                        for (int q = 0; q < n; q++) {
                            natives[q] = NativePeers.LightGbm.copy(matrices[q]);
                            allNatives.add(natives[q]);
                        }
                        sides.add(new Side(prefix + "rescore.rankql", q -> SearchExecutor.rescoreWithModel(view, searcher,
                                combo.deployed(), params.get(q), inPlace.restore(hits.get(q)))[0].doc));
                        sides.add(new Side(prefix + "rescore.handwritten",
                                q -> combo.hand().rescore(texts.get(q), hits.get(q))[0].doc));
                        sides.add(new Side(prefix + "rescore.es_style", q -> combo.es().rescore(texts.get(q), hits.get(q))[0].doc));
                        sides.add(new Side(prefix + "rescore.solr_style",
                                q -> combo.solr().rescore(texts.get(q), hits.get(q))[0].doc));
                        sides.add(new Side(prefix + "model.rankql", q -> {
                            combo.model().score(matrices[q], 0, sorted[q].length, out, 0);
                            return (long) out[0];
                        }));
                        sides.add(new Side(prefix + "model.xgboost",
                                q -> (long) combo.xgboost().predict(matrices[q], sorted[q].length)[0][0]));
                        sides.add(new Side(prefix + "model.rankql_on_lightgbm_model", q -> {
                            combo.lightgbmModel().score(matrices[q], 0, sorted[q].length, out, 0);
                            return (long) out[0];
                        }));
                        sides.add(new Side(prefix + "model.lightgbm",
                                q -> (long) combo.lightgbm().predict(natives[q], sorted[q].length)));
                        sides.add(new Side(prefix + "model.object_walker", q -> {
                            combo.walker().score(matrices[q], sorted[q].length, out);
                            return (long) out[0];
                        }));
                        for (int q = 0; q < Math.min(n, config.gateQueries()); q++) {
                            String where = combo.key() + " W=" + w + " query " + q + " [" + texts.get(q) + "]";
                            modelRows += Gate.trees((TreeEnsemble) combo.model(), combo.walker(), combo.xgboost(), matrices[q],
                                    sorted[q].length, where);
                            modelRows += Gate.lightgbm(combo.lightgbmModel(), combo.lightgbm(), matrices[q], sorted[q].length,
                                    where);
                        }
                        if (combo.features() == goal.features() && combo.shape().equals(goal.shape())) {
                            var e2e = new EndToEnd(engine, searcher, combo, w, texts);
                            sides.add(new Side(prefix + "e2e.rankql", q -> e2e.rankql(q, lastStages), true));
                            sides.add(new Side(prefix + "e2e.peer", q -> e2e.peer(q, lastStages), true));
                            for (int q = 0; q < Math.min(n, config.gateQueries()); q++) {
                                e2e.gate(q);
                                rankings++;
                            }
                            if (w == goal.window()) {
                                groups.add(new Group(List.of(), e2e, combo));
                            }
                        }
                    }
                    // The gate: every rescoring side against rankql's ranking, on the first queries.
                    for (int q = 0; q < Math.min(n, config.gateQueries()); q++) {
                        var ours = SearchExecutor.rescoreWithModel(view, searcher, combo.deployed(), params.get(q),
                                inPlace.restore(hits.get(q)));
                        var theirs = new ArrayList<ScoreDoc[]>();
                        theirs.add(combo.hand().rescore(texts.get(q), hits.get(q)));
                        if (!combo.shape().linear()) {
                            theirs.add(combo.es().rescore(texts.get(q), hits.get(q)));
                            theirs.add(combo.solr().rescore(texts.get(q), hits.get(q)));
                        }
                        for (var other : theirs) {
                            Gate.rescore(ours, other, combo.key() + " W=" + w + " query " + q + " [" + texts.get(q) + "]");
                            rankings++;
                        }
                    }
                    groups.add(new Group(sides, null, combo));
                }
            }
            facts.put("gate_rankings", rankings);
            facts.put("gate_model_rows", modelRows);
            return new Plan(groups, texts.size(), firstPass, combos, allNatives);
        }
    }

    /** The sides measured together, query by query; a group with {@code e2e} holds the throughput pair instead. */
    private record Group(List<Side> sides, EndToEnd e2e, Combo combo) {}

    /** What the rounds measure, and the native resources to free afterwards. */
    private record Plan(List<Group> groups, int queries, FirstPass firstPass, List<Combo> combos,
            List<com.microsoft.ml.lightgbm.SWIGTYPE_p_float> natives) implements AutoCloseable {
        @Override
        public void close() throws ml.dmlc.xgboost4j.java.XGBoostError {
            natives.forEach(NativePeers.LightGbm::free);
            for (var combo : combos) {
                if (combo.xgboost() != null) {
                    combo.xgboost().close();
                }
                if (combo.lightgbm() != null) {
                    combo.lightgbm().close();
                }
            }
        }
    }

    /** The whole LTR query: rankql's {@code _search} with an LTR rescore, and the same pipeline written by hand. */
    private final class EndToEnd {
        private final Engine engine;
        private final IndexSearcher searcher;
        private final Combo combo;
        private final int window;
        private final List<String> texts;
        private final SearchRequest[] profiled;
        private final SearchRequest[] plain;

        EndToEnd(Engine engine, IndexSearcher searcher, Combo combo, int window, List<String> texts) {
            this.engine = engine;
            this.searcher = searcher;
            this.combo = combo;
            this.window = window;
            this.texts = texts;
            this.profiled = new SearchRequest[texts.size()];
            this.plain = new SearchRequest[texts.size()];
            for (int q = 0; q < texts.size(); q++) {
                profiled[q] = EsJson.parseSearch(body(texts.get(q), true));
                plain[q] = EsJson.parseSearch(body(texts.get(q), false));
            }
        }

        private String body(String text, boolean profile) {
            var root = JsonNodeFactory.instance.objectNode();
            var multiMatch = root.putObject("query").putObject("multi_match");
            multiMatch.put("query", text);
            multiMatch.putArray("fields").add("title").add("content");
            multiMatch.put("type", "best_fields");
            multiMatch.put("tie_breaker", FirstPass.TIE_BREAKER);
            var rescore = root.putObject("rescore");
            rescore.put("window_size", window);
            var ltr = rescore.putObject("learning_to_rank");
            ltr.put("model_id", combo.deployed().id());
            ltr.putObject("params").put(RescoreFeatures.PARAM, text);
            if (profile) {
                root.put("profile", true);
            }
            return root.toString();
        }

        /** rankql, profiled: stages are first pass, features, model, sort, and the rest (binding, fetch, response). */
        long rankql(int q, long[] stages) {
            long start = System.nanoTime();
            var response = engine.search(INDEX, profiled[q], SearchOptions.NONE);
            long total = System.nanoTime() - start;
            JsonNode shard = response.profile().orElseThrow().get("shards").get(0).get("rankql");
            var rescore = shard.get("rescore").get(0);
            stages[0] = shard.get("first_pass_time_in_nanos").asLong();
            stages[1] = rescore.get("feature_extraction_time_in_nanos").asLong();
            stages[2] = rescore.get("model_time_in_nanos").asLong();
            stages[3] = rescore.get("sort_time_in_nanos").asLong();
            stages[4] = Math.max(0, total - stages[0] - stages[1] - stages[2] - stages[3]);
            return response.hits().size();
        }

        /** rankql without the profile, as a client sends it (the throughput side). */
        long rankqlPlain(int q) {
            return engine.search(INDEX, plain[q], SearchOptions.NONE).hits().size();
        }

        /**
         * The peer: raw IndexSearcher top-W (hits counted to 10,000), the hand-written feature loop, xgboost4j
         * inplace_predict on one thread, a sort, then the top 10 hits' {@code _id} and {@code _source}.
         */
        long peer(int q, long[] stages) throws Exception {
            long t0 = System.nanoTime();
            var text = texts.get(q);
            var top = searcher.search(combo.set().firstPass(text),
                    new TopScoreDocCollectorManager(window, SearchExecutor.DEFAULT_TRACK_TOTAL_HITS)).scoreDocs;
            long t1 = System.nanoTime();
            int n = top.length;
            var keys = new long[n];
            for (int i = 0; i < n; i++) {
                keys[i] = ((long) top[i].doc << 32) | i;
            }
            Arrays.sort(keys);
            var docs = new int[n];
            for (int r = 0; r < n; r++) {
                docs[r] = top[(int) keys[r]].doc;
            }
            var matrix = combo.hand().extract(text, docs);
            long t2 = System.nanoTime();
            var scores = n == 0 ? new float[0][] : combo.xgboost().predict(matrix, n);
            long t3 = System.nanoTime();
            var result = new ScoreDoc[n];
            int width = combo.features();
            for (int r = 0; r < n; r++) {
                var hit = top[(int) keys[r]];
                float score = hit.score;
                for (int c = 0; c < width; c++) {
                    if (!Float.isNaN(matrix[r * width + c])) {
                        score = scores[r][0];
                        break;
                    }
                }
                result[(int) keys[r]] = new ScoreDoc(hit.doc, score);
            }
            Arrays.sort(result, (a, b) -> {
                int byScore = Float.compare(b.score, a.score);
                return byScore != 0 ? byScore : Integer.compare(a.doc, b.doc);
            });
            long t4 = System.nanoTime();
            var stored = searcher.storedFields();
            long bytes = 0;
            for (int i = 0; i < Math.min(10, n); i++) {
                var doc = stored.document(result[i].doc, Set.of("_id", "_source"));
                bytes += doc.get("_id").length() + doc.getBinaryValue("_source").length;
            }
            long t5 = System.nanoTime();
            stages[0] = t1 - t0;
            stages[1] = t2 - t1;
            stages[2] = t3 - t2;
            stages[3] = t4 - t3;
            stages[4] = t5 - t4;
            return bytes;
        }

        /** The peer without stage clocks (the throughput side). */
        long peerPlain(int q) throws Exception {
            return peer(q, new long[5]);
        }

        /** rankql's top 10 and the peer's agree: same ids in order (ties aside), same scores. */
        void gate(int q) throws Exception {
            var ours = engine.search(INDEX, plain[q], SearchOptions.NONE).hits();
            var text = texts.get(q);
            var top = searcher.search(combo.set().firstPass(text), window).scoreDocs;
            var theirs = combo.hand().rescore(text, top);
            var stored = searcher.storedFields();
            for (int i = 0; i < Math.min(ours.size(), 10); i++) {
                float a = ours.get(i).score().orElse(Float.NaN);
                float b = theirs[i].score;
                var id = stored.document(theirs[i].doc, Set.of("_id")).get("_id");
                if (!Gate.close(a, b)) {
                    throw new IllegalStateException("end-to-end correctness gate failed at W=" + window + " query " + q + " ["
                            + text + "], hit " + (i + 1) + ": rankql [" + ours.get(i).id() + "] " + a + ", peer [" + id
                            + "] " + b);
                }
            }
        }
    }

    private void measureRound(Plan plan, int round) throws Exception {
        boolean warmup = round < config.warmup();
        int measured = round - config.warmup();
        String label = "round " + (round + 1) + (warmup ? " (warm-up)" : "");
        EngineBench.gc();
        // First pass: rankql's standard retriever against the raw IndexSearcher, over every query of the corpus.
        var firstPass = plan.firstPass();
        var fpSides = List.of(new Side("first_pass.rankql", q -> {
            firstPass.rankql(q);
            return q;
        }), new Side("first_pass.lucene", q -> {
            firstPass.lucene(q);
            return q;
        }));
        measureSides(fpSides, firstPass.size(), round, warmup, measured, label);
        for (var group : plan.groups()) {
            if (group.e2e() != null) {
                throughput(group, round, warmup, measured, label);
                if (!warmup) {
                    loadTimes(group.combo(), measured);
                }
                continue;
            }
            var cell = config.budget(group.combo().features(), group.combo().shape());
            if (round >= cell.warmup() + cell.rounds()) {
                continue;
            }
            EngineBench.gc();
            measureSides(group.sides(), Math.min(plan.queries(), cell.queries()), round, round < cell.warmup(),
                    round - cell.warmup(), label, cell.rounds());
        }
    }

    private static final String[] STAGES = {"first_pass", "features", "model", "sort", "other"};

    /** Every query on every side in turn, the first side rotating; per side p50/p90/p99, CPU p50 and allocation. */
    private void measureSides(List<Side> sides, int n, int round, boolean warmup, int measured, String label) throws Exception {
        measureSides(sides, n, round, warmup, measured, label, config.rounds());
    }

    /** As above, for a cell measured in {@code size} rounds. */
    private void measureSides(List<Side> sides, int n, int round, boolean warmup, int measured, String label, int size)
            throws Exception {
        int count = sides.size();
        var wall = new double[count][n];
        var cpu = new double[count][n];
        var alloc = new double[count][n];
        var stages = new double[count][STAGES.length][n];
        for (int q = 0; q < n; q++) {
            for (int step = 0; step < count; step++) {
                int s = (q + round + step) % count;
                var side = sides.get(s);
                long allocStart = THREADS.getCurrentThreadAllocatedBytes();
                long cpuStart = THREADS.getCurrentThreadCpuTime();
                long start = System.nanoTime();
                sink += side.call().run(q);
                long nanos = System.nanoTime() - start;
                long cpuNanos = THREADS.getCurrentThreadCpuTime() - cpuStart;
                long bytes = THREADS.getCurrentThreadAllocatedBytes() - allocStart;
                wall[s][q] = nanos / 1e6;
                cpu[s][q] = cpuNanos / 1e6;
                alloc[s][q] = bytes;
                if (side.staged()) {
                    for (int k = 0; k < STAGES.length; k++) {
                        stages[s][k][q] = lastStages[k] / 1e6;
                    }
                }
            }
        }
        var line = new StringBuilder(label);
        for (int s = 0; s < count; s++) {
            var side = sides.get(s);
            double p50 = Stats.percentile(wall[s], 50);
            line.append(String.format(Locale.ROOT, "%n  %-48s p50 %8.3f ms  p99 %8.3f ms  %,12.0f B", side.key(), p50,
                    Stats.percentile(wall[s], 99), Stats.median(alloc[s])));
            if (warmup) {
                continue;
            }
            put(side.key() + ".p50_ms", measured, size, p50);
            put(side.key() + ".p90_ms", measured, size, Stats.percentile(wall[s], 90));
            put(side.key() + ".p99_ms", measured, size, Stats.percentile(wall[s], 99));
            put(side.key() + ".cpu_p50_ms", measured, size, Stats.percentile(cpu[s], 50));
            put(side.key() + ".alloc_bytes", measured, size, Stats.median(alloc[s]));
            if (side.staged()) {
                for (int k = 0; k < STAGES.length; k++) {
                    put(side.key() + "." + STAGES[k] + ".p50_ms", measured, size, Stats.percentile(stages[s][k], 50));
                    put(side.key() + "." + STAGES[k] + ".p90_ms", measured, size, Stats.percentile(stages[s][k], 90));
                    put(side.key() + "." + STAGES[k] + ".p99_ms", measured, size, Stats.percentile(stages[s][k], 99));
                }
            }
        }
        progress.println(line);
    }

    /** Two client threads running whole LTR queries for a fixed time, rankql and the peer in turn. */
    private void throughput(Group group, int round, boolean warmup, int measured, String label) throws Exception {
        var e2e = group.e2e();
        int n = e2e.texts.size();
        String prefix = group.combo().key() + ".w" + e2e.window + ".throughput.";
        for (int step = 0; step < 2; step++) {
            boolean rankql = (round + step) % 2 == 0;
            EngineBench.gc();
            var stop = new AtomicBoolean();
            var done = new AtomicLong();
            var failure = new java.util.concurrent.atomic.AtomicReference<Exception>();
            var threads = new Thread[2];
            for (int t = 0; t < threads.length; t++) {
                int first = t * n / 2;
                threads[t] = new Thread(() -> {
                    int q = first;
                    long local = 0;
                    try {
                        while (!stop.get()) {
                            local += rankql ? e2e.rankqlPlain(q) : e2e.peerPlain(q);
                            q = (q + 1) % n;
                            done.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failure.set(e);
                    }
                    synchronized (this) {
                        sink += local;
                    }
                }, "bench-client-" + t);
            }
            long start = System.nanoTime();
            for (var thread : threads) {
                thread.start();
            }
            Thread.sleep(config.throughputMillis());
            stop.set(true);
            for (var thread : threads) {
                thread.join();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (failure.get() != null) {
                throw failure.get();
            }
            double qps = done.get() / seconds;
            String side = rankql ? "rankql" : "peer";
            progress.printf(Locale.ROOT, "%s  %-48s %8.1f QPS, %,12.0f docs scored/s (2 threads)%n", label, prefix + side, qps,
                    qps * e2e.window);
            if (!warmup) {
                put(prefix + side + ".qps", measured, config.rounds(), qps);
                put(prefix + side + ".docs_scored_per_s", measured, config.rounds(), qps * e2e.window);
            }
        }
    }

    /** Load time of the goal model's text: rankql's parse and layout, xgboost4j's loadModel, lightgbmlib's. */
    private void loadTimes(Combo combo, int measured) throws Exception {
        var bytes = combo.xgboostJson().getBytes(StandardCharsets.UTF_8);
        var order = measured % 2 == 0 ? new int[] {0, 1, 2} : new int[] {2, 1, 0};
        for (int which : order) {
            double ms = switch (which) {
                case 0 -> {
                    long start = System.nanoTime();
                    var model = Models.load("xgboost", new String(bytes, StandardCharsets.UTF_8), LoadOptions.DEFAULTS);
                    long nanos = System.nanoTime() - start;
                    sink += model.featureCount();
                    yield nanos / 1e6;
                }
                case 1 -> NativePeers.Xgboost.loadNanos(bytes) / 1e6;
                default -> NativePeers.LightGbm.loadNanos(combo.lightgbmText()) / 1e6;
            };
            String side = which == 0 ? "rankql" : which == 1 ? "xgboost" : "lightgbm";
            put(combo.key() + ".load." + side + ".ms", measured, config.rounds(), ms);
        }
        if (measured == 0) {
            facts.put("model_json_bytes", bytes.length);
            facts.put("model_heap_bytes", heapBytes(combo.xgboostJson()));
            facts.put("lightgbm_model_text_bytes", combo.lightgbmText().length());
        }
    }

    /** The heap a loaded model holds: the used-heap difference around keeping four copies, after full GCs, ÷ 4. */
    private long heapBytes(String json) throws InterruptedException {
        var memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        Thread.sleep(100);
        long before = memory.getHeapMemoryUsage().getUsed();
        var kept = new Model[4];
        for (int i = 0; i < kept.length; i++) {
            kept[i] = Models.load("xgboost", json, LoadOptions.DEFAULTS);
        }
        System.gc();
        Thread.sleep(100);
        long after = memory.getHeapMemoryUsage().getUsed();
        sink += kept[kept.length - 1].featureCount();
        return Math.max(0, (after - before) / kept.length);
    }

    private void put(String key, int round, int size, double value) {
        rounds.computeIfAbsent(key, k -> new double[size])[round] = value;
    }

    private static long sizeOf(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    /** The per-round series, the run's facts and its machine. */
    public record Result(Config config, Map<String, double[]> rounds, ObjectNode facts, double loadBefore, double loadAfter,
            String started) {

        /** The median over measured rounds of series {@code key}. */
        public double median(String key) {
            var values = rounds.get(key);
            if (values == null) {
                throw new IllegalArgumentException("no series " + key);
            }
            return Stats.median(values);
        }

        private String goalPrefix(int window) {
            var goal = config.goal();
            return "f" + goal.features() + "." + goal.shape().key() + ".w" + window + ".";
        }

        private double ratio(String ours, String theirs) {
            return median(ours) / median(theirs);
        }

        /** The result as one JSON object: the headline ratios first, then every median, the rounds, run and machine. */
        public ObjectNode toJson() {
            var goal = config.goal();
            var g = goalPrefix(goal.window());
            var features = "f" + goal.features() + ".features.w" + goal.window() + ".features.";
            int small = config.smallWindow();
            var json = JsonNodeFactory.instance.objectNode();
            json.put("model_vs_xgboost", r(ratio(g + "model.rankql.p50_ms", g + "model.xgboost.p50_ms")));
            json.put("model_vs_lightgbm", r(ratio(g + "model.rankql_on_lightgbm_model.p50_ms", g + "model.lightgbm.p50_ms")));
            json.put("rescore_vs_es_style", r(ratio(g + "rescore.rankql.p50_ms", g + "rescore.es_style.p50_ms")));
            json.put("features_vs_handwritten", r(ratio(features + "rankql.p50_ms", features + "handwritten.p50_ms")));
            json.put("first_pass_vs_lucene", r(ratio("first_pass.rankql.p50_ms", "first_pass.lucene.p50_ms")));
            json.put("ingest_vs_lucene", r(ratio("ingest.rankql.docs_per_s", "ingest.lucene.docs_per_s")));
            double perDoc = small == goal.window() ? Double.NaN
                    : (median(g + "rescore.rankql.alloc_bytes") - median(goalPrefix(small) + "rescore.rankql.alloc_bytes"))
                            / (goal.window() - small);
            json.put("alloc_bytes_per_doc", Math.round(perDoc * 10) / 10.0);
            json.put("rescore_vs_solr_style", r(ratio(g + "rescore.rankql.p50_ms", g + "rescore.solr_style.p50_ms")));
            json.put("rescore_vs_handwritten", r(ratio(g + "rescore.rankql.p50_ms", g + "rescore.handwritten.p50_ms")));
            json.put("model_vs_object_walker", r(ratio(g + "model.rankql.p50_ms", g + "model.object_walker.p50_ms")));
            json.put("e2e_vs_peer", r(ratio(g + "e2e.rankql.p50_ms", g + "e2e.peer.p50_ms")));
            json.put("throughput_vs_peer", r(ratio(g + "throughput.rankql.qps", g + "throughput.peer.qps")));
            json.put("load_vs_xgboost", r(ratio("f" + goal.features() + "." + goal.shape().key() + ".load.rankql.ms",
                    "f" + goal.features() + "." + goal.shape().key() + ".load.xgboost.ms")));
            double treeDocs = (double) goal.shape().trees() * goal.window();
            json.put("model_ns_per_tree_doc", r(median(g + "model.rankql.p50_ms") * 1e6 / treeDocs));
            json.put("xgboost_ns_per_tree_doc", r(median(g + "model.xgboost.p50_ms") * 1e6 / treeDocs));
            json.put("lightgbm_ns_per_tree_doc", r(median(g + "model.lightgbm.p50_ms") * 1e6 / treeDocs));
            var runFacts = facts.deepCopy();
            var jmh = runFacts.remove("jmh_model");
            if (jmh != null && jmh.has(goal.shape().key())) {
                var shape = jmh.get(goal.shape().key());
                json.put("jmh_model_ns_per_tree_doc", shape.get("rankql_ns_per_tree_doc").asDouble());
                json.put("jmh_xgboost_ns_per_tree_doc", shape.get("xgboost_ns_per_tree_doc").asDouble());
                json.put("jmh_lightgbm_ns_per_tree_doc", shape.get("lightgbm_ns_per_tree_doc").asDouble());
                json.put("jmh_model_vs_xgboost", shape.get("vs_xgboost").asDouble());
                json.put("jmh_model_vs_lightgbm", shape.get("vs_lightgbm").asDouble());
            }
            json.put("load_average_before", EngineBench.round(loadBefore, 2));
            json.put("load_average_after", EngineBench.round(loadAfter, 2));
            if (jmh != null) {
                json.set("jmh_model", jmh);
            }
            var medians = json.putObject("medians");
            for (var key : rounds.keySet()) {
                medians.put(key, r(median(key)));
            }
            var perRound = json.putObject("rounds");
            for (var entry : rounds.entrySet()) {
                var array = perRound.putArray(entry.getKey());
                for (var v : entry.getValue()) {
                    array.add(r(v));
                }
            }
            json.set("facts", runFacts);
            var run = json.putObject("run");
            run.put("mode", config.mode());
            run.put("corpus", facts.path("corpus").asString(""));
            run.put("started", started);
            run.put("docs", config.docs());
            run.put("measured_queries", facts.path("measured_queries").asInt());
            run.put("first_pass_queries", Corpus.QUERIES);
            run.put("rounds", config.rounds());
            run.put("warmup_rounds", config.warmup());
            var cells = run.putObject("other_cells");
            cells.put("queries", config.cells().queries());
            cells.put("rounds", config.cells().rounds());
            cells.put("warmup_rounds", config.cells().warmup());
            var sets = run.putArray("feature_sets");
            config.featureSets().forEach(sets::add);
            var shapes = run.putArray("models");
            config.shapes().forEach(s -> shapes.add(s.key()));
            var windows = run.putArray("windows");
            config.windows().forEach(windows::add);
            run.put("goal", "f" + goal.features() + " " + goal.shape().key() + " W=" + goal.window());
            run.put("seed", config.seed());
            var machine = json.putObject("machine");
            machine.put("cpus", Runtime.getRuntime().availableProcessors());
            machine.put("cpu", EngineBench.cpuModel());
            machine.put("jdk", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"));
            machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
            machine.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
            return json;
        }

        private static double r(double value) {
            if (!Double.isFinite(value)) {
                return value;
            }
            double magnitude = Math.abs(value);
            int digits = magnitude >= 1000 ? 0 : magnitude >= 1 ? 3 : 4;
            return EngineBench.round(value, digits);
        }

        /** The Markdown report: goals, the stage split, every comparison, throughput, load, memory and ingest. */
        public String toMarkdown() {
            var json = toJson();
            var goal = config.goal();
            var out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "# rankql bench (%s), %s%n%n", config.mode(), started));
            out.append(String.format(Locale.ROOT, "Corpus: %s. ", facts.path("corpus").asString("synthetic")));
            if (!config.cells().equals(new CellBudget(config.queries(), config.rounds(), config.warmup()))) {
                out.append(String.format(Locale.ROOT, "Cells other than the goal's feature set and model: %d queries × %d "
                        + "rounds (+%d warm-up). ", config.cells().queries(), config.cells().rounds(), config.cells().warmup()));
            }
            out.append(String.format(Locale.ROOT, "%,d documents, %d segments; %d LTR queries and %d first-pass queries × %d "
                    + "measured rounds (+%d warm-up); %s; %d CPUs (%s), %s; load average %.2f → %.2f; %.0f s.%n%n",
                    config.docs(), facts.path("segments").asInt(), facts.path("measured_queries").asInt(), Corpus.QUERIES,
                    config.rounds(), config.warmup(), json.get("run").get("goal").asString(),
                    Runtime.getRuntime().availableProcessors(), EngineBench.cpuModel(), json.get("machine").get("jdk").asString(),
                    loadBefore, loadAfter, facts.path("wall_seconds").asDouble()));
            out.append("## Goals (ours ÷ peer, medians of per-round medians)\n\n");
            out.append("| comparison | ratio | goal | stretch |\n|---|---:|---|---|\n");
            goalRow(out, json, "model stage vs xgboost4j", "model_vs_xgboost", "≤ 0.5", "≤ 0.25");
            goalRow(out, json, "model stage vs lightgbmlib", "model_vs_lightgbm", "≤ 0.35", "≤ 0.2");
            goalRow(out, json, "whole rescore vs ES-style pipeline", "rescore_vs_es_style", "≤ 0.2", "≤ 0.1");
            goalRow(out, json, "feature extraction vs hand-written Lucene loop", "features_vs_handwritten", "≤ 1.0", "≤ 0.6");
            goalRow(out, json, "first pass vs raw IndexSearcher", "first_pass_vs_lucene",
                    config.mode().equals("full") ? "≤ 1.02" : "≤ 1.05", "");
            goalRow(out, json, "ingest vs raw IndexWriter (docs/s)", "ingest_vs_lucene", "≥ 0.95", "");
            out.append(String.format(Locale.ROOT, "| allocation per rescored document, bytes | %s | 0 | |%n",
                    json.get("alloc_bytes_per_doc").asString()));
            out.append("\nDiagnostics: rescore vs Solr-style ").append(json.get("rescore_vs_solr_style").asString())
                    .append(", vs hand-written ").append(json.get("rescore_vs_handwritten").asString())
                    .append("; model vs object walker ").append(json.get("model_vs_object_walker").asString())
                    .append("; whole LTR query vs the hand-written peer ").append(json.get("e2e_vs_peer").asString())
                    .append(", throughput ").append(json.get("throughput_vs_peer").asString())
                    .append("; model load vs xgboost4j ").append(json.get("load_vs_xgboost").asString()).append(".\n");

            for (var combo : comboKeys()) {
                for (int w : config.windows()) {
                    var prefix = combo + ".w" + w + ".";
                    var sides = rounds.keySet().stream().filter(k -> k.startsWith(prefix) && k.endsWith(".p50_ms")
                            && !k.contains(".e2e.")).map(k -> k.substring(prefix.length(), k.length() - ".p50_ms".length()))
                            .distinct().toList();
                    if (sides.isEmpty()) {
                        continue;
                    }
                    out.append(String.format(Locale.ROOT, "%n## %s, W = %d%n%n", combo, w));
                    out.append("| stage · side | p50 ms | p90 ms | p99 ms | CPU p50 ms | bytes/query |\n");
                    out.append("|---|---:|---:|---:|---:|---:|\n");
                    for (var side : sides) {
                        latencyRow(out, prefix + side, side.replace('.', ' '));
                    }
                }
            }
            var g = goalPrefix(goal.window());
            out.append(String.format(Locale.ROOT, "%n## Whole LTR query, split by stage (%s, one query thread)%n%n",
                    json.get("run").get("goal").asString()));
            out.append("| window · side | total p50 / p90 / p99 ms | first pass | features | model | sort | other |\n");
            out.append("|---|---|---|---|---|---|---|\n");
            for (int w : config.windows()) {
                var prefix = goalPrefix(w);
                for (var side : List.of("rankql", "peer")) {
                    var key = prefix + "e2e." + side;
                    if (!rounds.containsKey(key + ".p50_ms")) {
                        continue;
                    }
                    out.append(String.format(Locale.ROOT, "| %d · %s | %s |", w, side, triple(key)));
                    for (var stage : STAGES) {
                        out.append(' ').append(triple(key + "." + stage)).append(" |");
                    }
                    out.append('\n');
                }
            }
            out.append("\n(rankql's stages come from its `profile` section: features exclude binding the extractors, which "
                    + "falls under other with fetching the hits; the peer is raw IndexSearcher + the hand-written feature loop "
                    + "+ xgboost4j + a sort + fetching the top 10.)\n");
            out.append(String.format(Locale.ROOT, "%n## Throughput, two client threads, W = %d%n%n", goal.window()));
            out.append("| side | QPS | documents scored/s |\n|---|---:|---:|\n");
            for (var side : List.of("rankql", "peer")) {
                var key = g + "throughput." + side;
                if (rounds.containsKey(key + ".qps")) {
                    out.append(String.format(Locale.ROOT, "| %s | %.1f | %,.0f |%n", side, median(key + ".qps"),
                            median(key + ".docs_scored_per_s")));
                }
            }
            jmhTable(out, json.get("jmh_model"));
            var load = "f" + goal.features() + "." + goal.shape().key() + ".load.";
            out.append(String.format(Locale.ROOT, "%n## Model and index%n%n| measure | value |%n|---|---:|%n"));
            out.append(String.format(Locale.ROOT, "| model stage, ns per tree per document: rankql / xgboost4j / lightgbmlib | "
                    + "%s / %s / %s |%n", json.get("model_ns_per_tree_doc").asString(), json.get("xgboost_ns_per_tree_doc")
                    .asString(), json.get("lightgbm_ns_per_tree_doc").asString()));
            out.append(String.format(Locale.ROOT, "| model load, ms: rankql / xgboost4j / lightgbmlib | %.2f / %.2f / %.2f |%n",
                    median(load + "rankql.ms"), median(load + "xgboost.ms"), median(load + "lightgbm.ms")));
            out.append(String.format(Locale.ROOT, "| model memory (rankql heap) / XGBoost JSON size, bytes | %,d / %,d |%n",
                    facts.path("model_heap_bytes").asLong(), facts.path("model_json_bytes").asLong()));
            out.append(String.format(Locale.ROOT, "| ingest docs/s, %,d documents: rankql / raw IndexWriter | %,.0f / %,.0f |%n",
                    facts.path("ingest_docs_per_side").asInt(), median("ingest.rankql.docs_per_s"),
                    median("ingest.lucene.docs_per_s")));
            out.append(String.format(Locale.ROOT, "| index build through rankql, docs/s; index size, bytes | %,d; %,d |%n",
                    facts.path("index_build_docs_per_s").asLong(), facts.path("index_size_bytes").asLong()));
            out.append(String.format(Locale.ROOT, "| first pass p50 ms: rankql / raw IndexSearcher (top 10 with sources) | "
                    + "%.3f / %.3f |%n", median("first_pass.rankql.p50_ms"), median("first_pass.lucene.p50_ms")));
            out.append(String.format(Locale.ROOT, "| correctness gate: rankings / model rows / first-pass hits compared | "
                    + "%,d / %,d / %,d |%n", facts.path("gate_rankings").asLong(), facts.path("gate_model_rows").asLong(),
                    facts.path("gate_first_pass_hits").asLong()));
            return out.toString();
        }

        /** The model-only JMH figures, one row per shape, when the run has them. */
        private static void jmhTable(StringBuilder out, JsonNode jmh) {
            if (jmh == null) {
                return;
            }
            out.append(String.format(Locale.ROOT, "%n## Model only, JMH: ns per tree per document (%s; %d documents per "
                    + "call, %d columns)%n%n", jmh.get("settings").get("budget").asString(),
                    jmh.get("settings").get("docs_per_call").asInt(), jmh.get("settings").get("features").asInt()));
            out.append("| trees × depth | rankql | xgboost4j | lightgbmlib | ÷ xgboost4j | ÷ lightgbmlib |\n");
            out.append("|---|---:|---:|---:|---:|---:|\n");
            for (var entry : jmh.properties()) {
                if (entry.getKey().equals("settings")) {
                    continue;
                }
                var shape = entry.getValue();
                out.append(String.format(Locale.ROOT, "| %s | %s ± %s | %s ± %s | %s ± %s | %.3f | %.3f |%n",
                        entry.getKey().replace("gbdt", "").replace("x", " × "),
                        num(shape, "rankql_ns_per_tree_doc"), num(shape, "rankql_error"),
                        num(shape, "xgboost_ns_per_tree_doc"), num(shape, "xgboost_error"),
                        num(shape, "lightgbm_ns_per_tree_doc"), num(shape, "lightgbm_error"),
                        shape.get("vs_xgboost").asDouble(), shape.get("vs_lightgbm").asDouble()));
            }
        }

        private static String num(JsonNode node, String key) {
            return String.format(Locale.ROOT, "%.3f", node.get(key).asDouble());
        }

        private List<String> comboKeys() {
            var keys = new ArrayList<String>();
            for (var key : rounds.keySet()) {
                int w = key.indexOf(".w");
                if (key.startsWith("f") && w > 0) {
                    var combo = key.substring(0, w);
                    if (!keys.contains(combo)) {
                        keys.add(combo);
                    }
                }
            }
            return keys;
        }

        private String triple(String key) {
            return String.format(Locale.ROOT, "%.3f / %.3f / %.3f", median(key + ".p50_ms"), median(key + ".p90_ms"),
                    median(key + ".p99_ms"));
        }

        private void latencyRow(StringBuilder out, String key, String label) {
            out.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %.3f | %,.0f |%n", label, median(key + ".p50_ms"),
                    median(key + ".p90_ms"), median(key + ".p99_ms"), median(key + ".cpu_p50_ms"),
                    median(key + ".alloc_bytes")));
        }

        private static void goalRow(StringBuilder out, ObjectNode json, String label, String key, String goal, String stretch) {
            out.append("| ").append(label).append(" | ").append(json.get(key).asString()).append(" | ").append(goal).append(" | ")
                    .append(stretch).append(" |\n");
        }
    }
}
