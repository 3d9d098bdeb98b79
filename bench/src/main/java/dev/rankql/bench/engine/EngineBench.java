package dev.rankql.bench.engine;

import dev.rankql.engine.Engine;
import dev.rankql.engine.RefreshPolicy;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The in-process harness of {@code rankql bench engine}: ingest through rankql against a raw {@link
 * org.apache.lucene.index.IndexWriter}, and the first pass through rankql against a raw {@link
 * org.apache.lucene.search.IndexSearcher}, the sides interleaved (ingest: by round, the first side rotating; search:
 * by query, within each round), warm-up rounds discarded, a full GC between rounds, each figure the median of the
 * per-round values.
 */
public final class EngineBench {

    /** The benchmark index's mapping: english text, a double and a long, as the corpus has them. */
    public static final String INDEX_BODY = """
            {"mappings": {"properties": {
              "title": {"type": "text", "analyzer": "english"},
              "content": {"type": "text", "analyzer": "english"},
              "price": {"type": "double"},
              "popularity": {"type": "long"}}}}""";

    /** The same index with periodic refresh off, to measure what the refresh costs during ingest. */
    static final String INDEX_BODY_NO_REFRESH = INDEX_BODY.replace("{\"mappings\"",
            "{\"settings\": {\"index.refresh_interval\": \"-1\"}, \"mappings\"");

    static final String INDEX = "bench";

    /**
     * What to run: corpus size and batch (documents per ingest request, and per raw commit), queries, measured and warm-up
     * rounds of each benchmark, passes over the query set per search round, the corpus seed and the mode name.
     */
    public record Config(
            int docs, int batch, int queries, int rounds, int ingestWarmup, int searchWarmup, int passes, long seed,
            String mode) {
        public Config {
            if (docs < 1 || batch < 1 || queries < 1 || rounds < 1 || ingestWarmup < 0 || searchWarmup < 0 || passes < 1) {
                throw new IllegalArgumentException("docs, batch, rounds and passes must be positive and warm-ups not negative");
            }
        }

        /** The quick mode: 100k documents, a few minutes on 2 cores. */
        public static Config quick() {
            return new Config(100_000, 10_000, Corpus.QUERIES, 3, 1, 2, 2, 42, "quick");
        }

        /** The full mode: 1M documents. */
        public static Config full() {
            return new Config(1_000_000, 10_000, Corpus.QUERIES, 5, 1, 2, 2, 42, "full");
        }
    }

    /** The series every run measures, one value per measured round, by the key they have in the JSON. */
    static final List<String> SERIES = List.of(
            "rankql_ingest_docs_per_s", "lucene_ingest_docs_per_s", "rankql_no_refresh_ingest_docs_per_s",
            "rankql_ingest_cpu_docs_per_s", "lucene_ingest_cpu_docs_per_s", "rankql_no_refresh_ingest_cpu_docs_per_s",
            "rankql_first_pass_p50_ms", "rankql_first_pass_p99_ms", "lucene_first_pass_p50_ms", "lucene_first_pass_p99_ms",
            "lucene_analyzed_first_pass_p50_ms", "lucene_analyzed_first_pass_p99_ms",
            "rankql_first_pass_cpu_p50_ms", "lucene_first_pass_cpu_p50_ms", "lucene_analyzed_first_pass_cpu_p50_ms");

    /** Per-round measurements of every side (the {@link #SERIES}), with what describes the run. */
    public record Result(
            Config config, Map<String, double[]> rounds, long hitsCompared, int segments, double loadBefore,
            double loadAfter, String started) {

        public Result {
            rounds = Map.copyOf(rounds);
            for (var key : SERIES) {
                if (!rounds.containsKey(key) || rounds.get(key).length != config.rounds()) {
                    throw new IllegalArgumentException("missing or incomplete series " + key);
                }
            }
        }

        /** The median over the measured rounds of series {@code key}. */
        public double median(String key) {
            return Stats.median(rounds.get(key));
        }

        private double ratio(String ours, String theirs) {
            return median(ours) / median(theirs);
        }

        /** rankql's docs/s ÷ raw Lucene's, medians of rounds. */
        public double ingestRatio() {
            return ratio("rankql_ingest_docs_per_s", "lucene_ingest_docs_per_s");
        }

        /** rankql's p50 latency ÷ raw Lucene's, medians of rounds. */
        public double firstPassRatio() {
            return ratio("rankql_first_pass_p50_ms", "lucene_first_pass_p50_ms");
        }

        /** rankql's p99 latency ÷ raw Lucene's, medians of rounds. */
        public double firstPassP99Ratio() {
            return ratio("rankql_first_pass_p99_ms", "lucene_first_pass_p99_ms");
        }

        /** The result as one JSON object: ratios, every side's medians, per-round values, run and machine. */
        public ObjectNode toJson() {
            var json = JsonNodeFactory.instance.objectNode();
            json.put("ingest_vs_lucene", round(ingestRatio(), 4));
            json.put("first_pass_vs_lucene", round(firstPassRatio(), 4));
            json.put("first_pass_p99_vs_lucene", round(firstPassP99Ratio(), 4));
            json.put("ingest_cpu_vs_lucene", round(ratio("rankql_ingest_cpu_docs_per_s", "lucene_ingest_cpu_docs_per_s"), 4));
            json.put("ingest_no_refresh_vs_lucene", round(ratio("rankql_no_refresh_ingest_docs_per_s", "lucene_ingest_docs_per_s"), 4));
            json.put("first_pass_cpu_vs_lucene", round(ratio("rankql_first_pass_cpu_p50_ms", "lucene_first_pass_cpu_p50_ms"), 4));
            json.put("first_pass_vs_lucene_analyzed", round(ratio("rankql_first_pass_p50_ms", "lucene_analyzed_first_pass_p50_ms"), 4));
            for (var key : SERIES) {
                if (key.endsWith("_ms")) {
                    json.put(key, round(median(key), 4));
                } else {
                    json.put(key, Math.round(median(key)));
                }
            }
            var perRound = json.putObject("rounds");
            for (var key : SERIES) {
                var array = perRound.putArray(key);
                for (var v : rounds.get(key)) {
                    if (key.endsWith("_ms")) {
                        array.add(round(v, 4));
                    } else {
                        array.add(Math.round(v));
                    }
                }
            }
            var run = json.putObject("run");
            run.put("mode", config.mode());
            run.put("started", started);
            run.put("docs", config.docs());
            run.put("batch", config.batch());
            run.put("rounds", config.rounds());
            run.put("ingest_warmup_rounds", config.ingestWarmup());
            run.put("search_warmup_rounds", config.searchWarmup());
            run.put("queries", config.queries());
            run.put("passes_per_search_round", config.passes());
            run.put("seed", config.seed());
            run.put("hits_compared", hitsCompared);
            run.put("segments", segments);
            var machine = json.putObject("machine");
            machine.put("cpus", Runtime.getRuntime().availableProcessors());
            machine.put("cpu", cpuModel());
            machine.put("jdk", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"));
            machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
            machine.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
            machine.put("load_average_before", round(loadBefore, 2));
            machine.put("load_average_after", round(loadAfter, 2));
            return json;
        }

        /** The Markdown table of every side and the ratios against the goals. */
        public String toMarkdown() {
            var out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "rankql bench engine (%s): %,d docs in requests of %,d, %d measured rounds, "
                    + "%d queries × %d passes per search round, %d segments, load average %.2f → %.2f%n%n", config.mode(),
                    config.docs(), config.batch(), config.rounds(), config.queries(), config.passes(), segments, loadBefore, loadAfter));
            out.append("| measure (median of rounds) | rankql | raw Lucene | rankql ÷ Lucene | goal |\n");
            out.append("|---|---:|---:|---:|---|\n");
            row(out, "ingest, docs/s", "%,.0f", "rankql_ingest_docs_per_s", "lucene_ingest_docs_per_s", "≥ 0.95");
            row(out, "first pass p50, ms", "%.3f", "rankql_first_pass_p50_ms", "lucene_first_pass_p50_ms",
                    config.mode().equals("full") ? "≤ 1.02" : "≤ 1.05");
            row(out, "first pass p99, ms", "%.3f", "rankql_first_pass_p99_ms", "lucene_first_pass_p99_ms", "");
            out.append("\nDiagnostics (same run):\n\n");
            out.append("| measure (median of rounds) | rankql | raw Lucene | rankql ÷ Lucene | goal |\n");
            out.append("|---|---:|---:|---:|---|\n");
            row(out, "ingest, docs per CPU-second of the JVM (all threads)", "%,.0f", "rankql_ingest_cpu_docs_per_s",
                    "lucene_ingest_cpu_docs_per_s", "");
            row(out, "ingest, docs/s, rankql with refresh_interval -1", "%,.0f", "rankql_no_refresh_ingest_docs_per_s",
                    "lucene_ingest_docs_per_s", "");
            row(out, "first pass p50, ms, Lucene analysing each query text", "%.3f", "rankql_first_pass_p50_ms",
                    "lucene_analyzed_first_pass_p50_ms", "");
            row(out, "first pass p99, ms, Lucene analysing each query text", "%.3f", "rankql_first_pass_p99_ms",
                    "lucene_analyzed_first_pass_p99_ms", "");
            row(out, "first pass p50 of thread CPU time, ms", "%.3f", "rankql_first_pass_cpu_p50_ms",
                    "lucene_first_pass_cpu_p50_ms", "");
            return out.toString();
        }

        private void row(StringBuilder out, String label, String format, String ours, String theirs, String goal) {
            out.append("| ").append(label).append(" | ").append(String.format(Locale.ROOT, format, median(ours))).append(" | ")
                    .append(String.format(Locale.ROOT, format, median(theirs))).append(" | ")
                    .append(String.format(Locale.ROOT, "%.3f", ratio(ours, theirs))).append(" | ")
                    .append(goal.isEmpty() ? "—" : goal).append(" |\n");
        }
    }

    private final Config config;
    private final PrintStream progress;

    public EngineBench(Config config, PrintStream progress) {
        this.config = config;
        this.progress = progress;
    }

    /** Generates the corpus under {@code work} (a scratch directory), runs both benchmarks and returns the rounds. */
    public Result run(Path work) throws IOException {
        var started = Instant.now().toString();
        double loadBefore = loadAverage();
        progress.printf(Locale.ROOT, "engine bench: generating %,d documents and %d queries%n", config.docs(), config.queries());
        var corpus = Corpus.generate(work.resolve("corpus"), config.docs(), config.batch(), config.queries(), config.seed());

        var rounds = new LinkedHashMap<String, double[]>();
        SERIES.forEach(key -> rounds.put(key, new double[config.rounds()]));
        var sides = IngestSide.values();
        for (int round = 0; round < config.ingestWarmup() + config.rounds(); round++) {
            boolean warmup = round < config.ingestWarmup();
            for (int step = 0; step < sides.length; step++) {
                var side = sides[(round + step) % sides.length];
                gc();
                var measured = ingest(side, corpus, work.resolve("ingest"));
                progress.printf(Locale.ROOT, "ingest round %d%s %-17s %,10.0f docs/s %,10.0f docs/CPU-s%n", round + 1,
                        warmup ? " (warm-up)" : "", side.label, measured[0], measured[1]);
                if (!warmup) {
                    rounds.get(side.key + "_ingest_docs_per_s")[round - config.ingestWarmup()] = measured[0];
                    rounds.get(side.key + "_ingest_cpu_docs_per_s")[round - config.ingestWarmup()] = measured[1];
                }
            }
        }

        progress.println("engine bench: building the search index through rankql");
        var dataDir = work.resolve("search");
        try (var engine = Engine.open(dataDir)) {
            engine.createIndex(INDEX, INDEX_BODY);
            for (var batch : corpus.batches()) {
                try (var reader = Files.newBufferedReader(batch, StandardCharsets.UTF_8)) {
                    requireNoErrors(engine.ingestJsonLines(INDEX, reader, RefreshPolicy.NONE));
                }
            }
        }
        long compared;
        int segments;
        // Reopened, rankql searches exactly the committed segments that the raw reader opens.
        try (var engine = Engine.open(dataDir);
                var firstPass = new FirstPass(engine, INDEX, dataDir.resolve(INDEX).resolve("lucene"), corpus.queries(), FirstPass.TIE_BREAKER)) {
            compared = firstPass.verify();
            segments = firstPass.segments();
            progress.printf(Locale.ROOT, "first pass: %d queries, %,d hits identical in rankql and Lucene, %d segments%n",
                    firstPass.size(), compared, segments);
            for (int round = 0; round < config.searchWarmup() + config.rounds(); round++) {
                searchRound(firstPass, round, rounds);
            }
            progress.println("(sink " + firstPass.sink() + ")");
        }
        return new Result(config, rounds, compared, segments, loadBefore, loadAverage(), started);
    }

    /** The ingest sides: rankql as created by default, raw Lucene, and rankql without periodic refresh. */
    private enum IngestSide {
        RANKQL("rankql", "rankql"),
        LUCENE("lucene", "Lucene"),
        RANKQL_NO_REFRESH("rankql_no_refresh", "rankql refresh -1");

        final String key;
        final String label;

        IngestSide(String key, String label) {
            this.key = key;
            this.label = label;
        }
    }

    private double[] ingest(IngestSide side, Corpus corpus, Path dir) throws IOException {
        return switch (side) {
            case RANKQL -> rankqlIngest(corpus, dir, INDEX_BODY);
            case RANKQL_NO_REFRESH -> rankqlIngest(corpus, dir, INDEX_BODY_NO_REFRESH);
            case LUCENE -> luceneIngest(corpus, dir);
        };
    }

    /**
     * One search round: every query runs on each side in turn, the side that goes first rotating from query to query,
     * so that load changes on a shared machine hit all sides alike; {@code passes} times over the query set.
     */
    private void searchRound(FirstPass firstPass, int round, Map<String, double[]> rounds) throws IOException {
        boolean warmup = round < config.searchWarmup();
        int samples = firstPass.size() * config.passes();
        var wall = new double[3][samples];
        var cpu = new double[3][samples];
        var threads = ManagementFactory.getThreadMXBean();
        gc();
        int n = 0;
        for (int pass = 0; pass < config.passes(); pass++) {
            for (int q = 0; q < firstPass.size(); q++) {
                for (int step = 0; step < 3; step++) {
                    int side = (q + pass + round + step) % 3;
                    long cpuStart = threads.getCurrentThreadCpuTime();
                    long start = System.nanoTime();
                    switch (side) {
                        case 0 -> firstPass.rankql(q);
                        case 1 -> firstPass.lucene(q);
                        default -> firstPass.luceneWithAnalysis(q);
                    }
                    wall[side][n] = (System.nanoTime() - start) / 1e6;
                    cpu[side][n] = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e6;
                }
                n++;
            }
        }
        var keys = new String[] {"rankql_first_pass", "lucene_first_pass", "lucene_analyzed_first_pass"};
        var labels = new String[] {"rankql", "Lucene", "Lucene+analysis"};
        for (int side = 0; side < 3; side++) {
            double p50 = Stats.percentile(wall[side], 50);
            double p99 = Stats.percentile(wall[side], 99);
            double cpuP50 = Stats.percentile(cpu[side], 50);
            progress.printf(Locale.ROOT, "search round %d%s %-15s p50 %.3f ms  p99 %.3f ms  CPU p50 %.3f ms%n", round + 1,
                    warmup ? " (warm-up)" : "", labels[side], p50, p99, cpuP50);
            if (!warmup) {
                int measured = round - config.searchWarmup();
                rounds.get(keys[side] + "_p50_ms")[measured] = p50;
                rounds.get(keys[side] + "_p99_ms")[measured] = p99;
                rounds.get(keys[side] + "_cpu_p50_ms")[measured] = cpuP50;
            }
        }
    }

    /**
     * rankql: create the index (untimed), then one ingest request per batch file; docs/s of the requests by wall time
     * and by CPU time of the process.
     */
    public static double[] rankqlIngest(Corpus corpus, Path dir, String body) throws IOException {
        deleteRecursively(dir);
        long nanos;
        long cpuNanos;
        try (var engine = Engine.open(dir)) {
            engine.createIndex(INDEX, body);
            long cpuStart = processCpuNanos();
            long start = System.nanoTime();
            for (var batch : corpus.batches()) {
                try (var reader = Files.newBufferedReader(batch, StandardCharsets.UTF_8)) {
                    requireNoErrors(engine.ingestJsonLines(INDEX, reader, RefreshPolicy.NONE));
                }
            }
            nanos = System.nanoTime() - start;
            cpuNanos = processCpuNanos() - cpuStart;
        }
        deleteRecursively(dir);
        return new double[] {corpus.docs() / (nanos / 1e9), corpus.docs() / (cpuNanos / 1e9)};
    }

    /** Raw Lucene: open the writer (untimed), then index and commit per batch file; docs/s by wall and process CPU time. */
    public static double[] luceneIngest(Corpus corpus, Path dir) throws IOException {
        deleteRecursively(dir);
        long nanos;
        long cpuNanos;
        long written;
        try (var ingest = new LuceneIngest(dir)) {
            long cpuStart = processCpuNanos();
            long start = System.nanoTime();
            written = ingest.ingest(corpus.batches());
            nanos = System.nanoTime() - start;
            cpuNanos = processCpuNanos() - cpuStart;
        }
        deleteRecursively(dir);
        if (written != corpus.docs()) {
            throw new IllegalStateException("Lucene indexed " + written + " documents of " + corpus.docs());
        }
        return new double[] {corpus.docs() / (nanos / 1e9), corpus.docs() / (cpuNanos / 1e9)};
    }

    /** Throws naming the first rejected document of {@code response}, if any. */
    public static void requireNoErrors(dev.rankql.engine.BulkResponse response) {
        if (response.errors()) {
            var failed = response.items().stream().filter(i -> i.error().isPresent()).findFirst().orElseThrow();
            throw new IllegalStateException("rankql rejected a benchmark document: " + failed.toJson());
        }
    }

    /** A full GC and a 100 ms pause, so that one side does not pay for another side's garbage. */
    public static void gc() {
        System.gc();
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * CPU time of the whole JVM: ingest work runs on the caller's thread, Lucene's merge threads and rankql's refresh
     * thread, so one thread's time would favour the side that moves work elsewhere.
     */
    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    /** The one-minute load average, or a negative value where the platform has none. */
    public static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** The CPU model from {@code /proc/cpuinfo}, or "unknown". */
    public static String cpuModel() {
        try {
            for (var line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or not readable: the JSON says so.
        }
        return "unknown";
    }

    /** {@code value} rounded to {@code digits} decimals. */
    public static double round(double value, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }

    /** Deletes {@code path} and everything under it, if it exists. */
    public static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            for (var p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
