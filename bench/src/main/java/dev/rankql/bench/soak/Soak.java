package dev.rankql.bench.soak;

import dev.rankql.engine.Engine;
import dev.rankql.engine.RefreshPolicy;
import dev.rankql.engine.search.SearchResponse;
import dev.rankql.json.EsJson;
import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A concurrency soak of one engine: searches (plain and LTR-rescored), ingest, refreshes and model replacement run
 * together for a fixed time, and every answer is checked against what the writers have done so far.
 *
 * <p>The checks: a hit names a document that was written and carries its exact source; a search's total never falls
 * below what a finished refresh made visible, never exceeds what was written, and never decreases for one searcher
 * (the soak only adds); an LTR score decodes to one model version for both trees of the model, so a search never mixes
 * two versions of a replaced model. The used heap after a full GC is sampled, and its slope after warm-up reported.
 */
public final class Soak {

    static final String INDEX = "soak";
    static final String MODEL = "soak-ltr";
    private static final String INDEX_BODY = """
            {"mappings": {"properties": {"title": {"type": "text"}, "cost": {"type": "integer"},
              "seq": {"type": "long"}}}}""";
    private static final String[] WORDS = {"lamp", "desk", "cable", "chair", "table", "shade", "bulb", "floor",
        "wood", "steel", "black", "white", "small", "large", "usb", "power", "light", "office", "garden", "kitchen"};

    /**
     * Model versions cycle through 1..{@value}: tree A's leaves are {@code 16v + 1|2}, tree B's {@code 2048v + 4|8},
     * so a score splits back into the version of each tree (16 * 100 + 2 < 2048), and every score is an exact float.
     */
    static final int VERSIONS = 100;

    /** What to run: the duration, the worker counts, and how often the heap is sampled. */
    public record Config(int seconds, int searchers, int ingestBatch, int initialDocs, int heapSampleSeconds) {
        public Config {
            if (seconds <= 0 || searchers <= 0 || ingestBatch <= 0 || initialDocs < 0 || heapSampleSeconds <= 0) {
                throw new IllegalArgumentException("soak settings must be positive");
            }
        }
    }

    /** What a soak did and found. */
    public record Result(double seconds, long searches, long ltrSearches, long hitsChecked, long bulkRequests,
            long documents, long refreshes, long modelReplacements, long modelVersionsSeen, List<String> errors,
            long errorCount, List<double[]> heapSamples, double heapSlopeMbPerMinute) {

        /** The result as one JSON line. */
        public String toJson() {
            var samples = new StringBuilder("[");
            for (var s : heapSamples) {
                samples.append(samples.length() > 1 ? ", " : "").append(String.format(Locale.ROOT, "[%.0f, %.1f]", s[0], s[1]));
            }
            samples.append(']');
            var errorsJson = new StringBuilder("[");
            for (var e : errors) {
                errorsJson.append(errorsJson.length() > 1 ? ", " : "").append('"')
                        .append(e.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ")).append('"');
            }
            errorsJson.append(']');
            return String.format(Locale.ROOT, "{\"suite\": \"soak\", \"seconds\": %.1f, \"searches\": %d, "
                    + "\"ltr_searches\": %d, \"hits_checked\": %d, \"bulk_requests\": %d, \"documents\": %d, "
                    + "\"refreshes\": %d, \"model_replacements\": %d, \"model_versions_seen\": %d, \"errors\": %d, "
                    + "\"error_samples\": %s, \"heap_used_after_gc_mb\": %s, \"heap_slope_mb_per_minute\": %.3f}",
                    seconds, searches, ltrSearches, hitsChecked, bulkRequests, documents, refreshes, modelReplacements,
                    modelVersionsSeen, errorCount, errorsJson, samples, heapSlopeMbPerMinute);
        }
    }

    private final Engine engine;
    private final Config config;
    private final Consumer<String> progress;
    private final AtomicBoolean running = new AtomicBoolean(true);
    /** Documents whose bulk request has started: no search may see a document at or past this number. */
    private final AtomicLong submitted = new AtomicLong();
    /** Documents whose bulk request was acknowledged. */
    private final AtomicLong acknowledged = new AtomicLong();
    /** Documents acknowledged before the start of the last finished refresh: every search must see at least these. */
    private final AtomicLong visibleFloor = new AtomicLong();
    private final AtomicLong searches = new AtomicLong();
    private final AtomicLong ltrSearches = new AtomicLong();
    private final AtomicLong hitsChecked = new AtomicLong();
    private final AtomicLong bulkRequests = new AtomicLong();
    private final AtomicLong refreshes = new AtomicLong();
    private final AtomicLong replacements = new AtomicLong();
    private final AtomicLong errorCount = new AtomicLong();
    private final java.util.Set<Integer> versionsSeen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();

    private Soak(Engine engine, Config config, Consumer<String> progress) {
        this.engine = engine;
        this.config = config;
        this.progress = progress;
    }

    /** Runs the soak on a new engine over {@code dataDir}, which must be empty or absent. */
    public static Result run(Path dataDir, Config config, Consumer<String> progress) throws Exception {
        try (var engine = Engine.open(dataDir)) {
            return new Soak(engine, config, progress).run();
        }
    }

    private Result run() throws Exception {
        engine.createIndex(INDEX, INDEX_BODY);
        for (int done = 0; done < config.initialDocs(); done += config.ingestBatch()) {
            ingest(Math.min(config.ingestBatch(), config.initialDocs() - done));
        }
        engine.refresh(INDEX);
        visibleFloor.set(acknowledged.get());
        engine.putModel(MODEL, modelBody(1), false);
        long start = System.nanoTime();
        var workers = new ArrayList<Thread>();
        for (int i = 0; i < config.searchers(); i++) {
            long seed = 1000 + i;
            workers.add(worker("searcher-" + i, () -> searchLoop(seed)));
        }
        workers.add(worker("ingest", this::ingestLoop));
        workers.add(worker("refresh", this::refreshLoop));
        workers.add(worker("models", this::modelLoop));
        var heap = new ArrayList<double[]>();
        long end = start + TimeUnit.SECONDS.toNanos(config.seconds());
        long nextSample = start;
        while (System.nanoTime() < end && errorCount.get() == 0) {
            long now = System.nanoTime();
            if (now >= nextSample) {
                heap.add(new double[] {(now - start) / 1e9, usedHeapAfterGcMb()});
                progress.accept(String.format(Locale.ROOT, "soak: %3.0fs  searches %d  documents %d  models %d  heap %.1f MB",
                        (now - start) / 1e9, searches.get(), acknowledged.get(), replacements.get(),
                        heap.getLast()[1]));
                nextSample = now + TimeUnit.SECONDS.toNanos(config.heapSampleSeconds());
            }
            Thread.sleep(Math.max(1, Math.min(200, TimeUnit.NANOSECONDS.toMillis(Math.min(end, nextSample) - now))));
        }
        running.set(false);
        for (var worker : workers) {
            worker.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        heap.add(new double[] {seconds, usedHeapAfterGcMb()});
        // The final state must hold every acknowledged document once refreshed.
        engine.refresh(INDEX);
        checkTotal(matchAllTotal(), acknowledged.get(), submitted.get());
        return new Result(seconds, searches.get(), ltrSearches.get(), hitsChecked.get(), bulkRequests.get(),
                acknowledged.get(), refreshes.get(), replacements.get(), versionsSeen.size(), List.copyOf(errors),
                errorCount.get(), heap, slopeAfterWarmUp(heap));
    }

    private Thread worker(String name, Checked body) {
        return Thread.ofPlatform().name("soak-" + name).start(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                fail(name + ": " + e);
            }
        });
    }

    @FunctionalInterface
    private interface Checked {
        void run() throws Exception;
    }

    private void fail(String message) {
        errorCount.incrementAndGet();
        if (errors.size() < 20) {
            errors.add(message);
        }
        running.set(false);
    }

    private void searchLoop(long seed) {
        var random = new SplittableRandom(seed);
        long lastTotal = 0;
        while (running.get()) {
            long floor = visibleFloor.get();
            long total = matchAllTotal();
            long ceiling = submitted.get();
            if (total < lastTotal) {
                fail("the document count went down from " + lastTotal + " to " + total);
            }
            lastTotal = total;
            checkTotal(total, floor, ceiling);
            var word = WORDS[random.nextInt(WORDS.length)];
            if (random.nextBoolean()) {
                var response = engine.search(INDEX, EsJson.parseSearch("""
                        {"size": 20, "query": {"match": {"title": "%s"}},
                         "rescore": {"window_size": 20, "learning_to_rank": {"model_id": "%s", "params": {"q": "%s"}}}}"""
                        .formatted(word, MODEL, word)));
                checkHits(response, submitted.get());
                checkModelScores(response);
                ltrSearches.incrementAndGet();
            } else {
                var response = engine.search(INDEX, EsJson.parseSearch("""
                        {"size": 10, "query": {"bool": {"must": {"match": {"title": "%s"}},
                          "filter": {"range": {"cost": {"gte": %d}}}}}}""".formatted(word, random.nextInt(900))));
                checkHits(response, submitted.get());
            }
            searches.incrementAndGet();
        }
    }

    private long matchAllTotal() {
        var response = engine.search(INDEX, EsJson.parseSearch(
                "{\"size\": 0, \"track_total_hits\": true, \"query\": {\"match_all\": {}}}"));
        return response.total().orElseThrow().value();
    }

    private void checkTotal(long total, long floor, long ceiling) {
        if (total < floor || total > ceiling) {
            fail("a search counted " + total + " documents, outside [" + floor + ", " + ceiling
                    + "] (visible after the last refresh, written so far)");
        }
    }

    private void checkHits(SearchResponse response, long ceiling) {
        for (var hit : response.hits()) {
            int n = Integer.parseInt(hit.id().substring(1));
            if (n >= ceiling) {
                fail("hit " + hit.id() + " was never written (" + ceiling + " written)");
            }
            var source = hit.source().orElseThrow();
            if (source.get("seq").asLong() != n || source.get("cost").asInt() != cost(n)
                    || !source.get("title").asString().equals(title(n))) {
                fail("hit " + hit.id() + " has the source " + source + ", not the one written");
            }
            hitsChecked.incrementAndGet();
        }
    }

    private void checkModelScores(SearchResponse response) {
        int version = -1;
        for (var hit : response.hits()) {
            long cost = cost(Integer.parseInt(hit.id().substring(1)));
            double rest = hit.score().orElseThrow() - (cost <= 500 ? 1 : 2) - (cost <= 250 ? 4 : 8);
            int treeB = (int) Math.floor(rest / 2048);
            double treeA = (rest - 2048.0 * treeB) / 16;
            if (treeA != Math.rint(treeA) || treeA != treeB || treeB < 1 || treeB > VERSIONS) {
                fail("hit " + hit.id() + " scored " + hit.score().orElseThrow() + ", which no single model version gives");
                return;
            }
            if (version != -1 && version != treeB) {
                fail("one search scored with model versions " + version + " and " + treeB);
                return;
            }
            version = treeB;
        }
        if (version > 0) {
            versionsSeen.add(version);
        }
    }

    private void ingestLoop() throws InterruptedException {
        while (running.get()) {
            ingest(config.ingestBatch());
            Thread.sleep(20);
        }
    }

    private void ingest(int count) {
        var body = new StringBuilder();
        long first = submitted.getAndAdd(count);
        for (long n = first; n < first + count; n++) {
            body.append("{\"_id\": \"d").append(n).append("\", \"title\": \"").append(title(n)).append("\", \"cost\": ")
                    .append(cost(n)).append(", \"seq\": ").append(n).append("}\n");
        }
        var response = engine.ingestJsonLines(INDEX, new StringReader(body.toString()), RefreshPolicy.NONE);
        if (response.errors() || response.items().size() != count) {
            fail("a bulk request failed: " + response.toJson());
        }
        // Batches are acknowledged in the order they were submitted: one ingest thread.
        acknowledged.addAndGet(count);
        bulkRequests.incrementAndGet();
    }

    private void refreshLoop() throws InterruptedException {
        var random = new SplittableRandom(7);
        while (running.get()) {
            long before = acknowledged.get();
            engine.refresh(INDEX);
            visibleFloor.accumulateAndGet(before, Math::max);
            refreshes.incrementAndGet();
            Thread.sleep(10 + random.nextInt(150));
        }
    }

    private void modelLoop() throws InterruptedException {
        long put = 1;
        while (running.get()) {
            Thread.sleep(200);
            put++;
            engine.putModel(MODEL, modelBody((int) ((put - 1) % VERSIONS) + 1), true);
            replacements.incrementAndGet();
        }
    }

    static long cost(long n) {
        return (n * 7919) % 1000;
    }

    static String title(long n) {
        return WORDS[(int) (n % WORDS.length)] + " " + WORDS[(int) ((n / WORDS.length + n * 3) % WORDS.length)] + " "
                + WORDS[(int) ((n * 13 + 5) % WORDS.length)];
    }

    /** Version {@code v} of the model: two trees on {@code cost}, each carrying {@code v} in its own leaves. */
    static String modelBody(int v) {
        return """
                {"description": "soak model version %d",
                 "inference_config": {"learning_to_rank": {"feature_extractors": [
                   {"query_extractor": {"feature_name": "cost", "query": {"script_score": {"query": {"match_all": {}},
                     "script": {"source": "doc['cost'].value"}}}}},
                   {"query_extractor": {"feature_name": "title_match", "query": {"match": {"title": "{{q}}"}}}}]}},
                 "definition": {"trained_model": {"ensemble": {"feature_names": ["cost", "title_match"],
                   "target_type": "regression", "trained_models": [%s, %s]}}}}"""
                .formatted(v, tree(500, 16.0 * v + 1, 16.0 * v + 2), tree(250, 2048.0 * v + 4, 2048.0 * v + 8));
    }

    private static String tree(int threshold, double left, double right) {
        return """
                {"tree": {"feature_names": ["cost", "title_match"], "target_type": "regression", "tree_structure": [
                  {"node_index": 0, "split_feature": 0, "threshold": %d, "decision_type": "lte", "default_left": true,
                   "left_child": 1, "right_child": 2},
                  {"node_index": 1, "leaf_value": %s}, {"node_index": 2, "leaf_value": %s}]}}"""
                .formatted(threshold, left, right);
    }

    private static double usedHeapAfterGcMb() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
    }

    /** The least-squares slope of used heap against time, in MB per minute, over the samples after the first quarter. */
    static double slopeAfterWarmUp(List<double[]> samples) {
        var kept = samples.subList(samples.size() / 4, samples.size());
        if (kept.size() < 2) {
            return 0;
        }
        double meanT = kept.stream().mapToDouble(s -> s[0]).average().orElse(0);
        double meanH = kept.stream().mapToDouble(s -> s[1]).average().orElse(0);
        double num = 0;
        double den = 0;
        for (var s : kept) {
            num += (s[0] - meanT) * (s[1] - meanH);
            den += (s[0] - meanT) * (s[0] - meanT);
        }
        return den == 0 ? 0 : num / den * 60;
    }
}
