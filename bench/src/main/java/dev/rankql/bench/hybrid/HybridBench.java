package dev.rankql.bench.hybrid;

import dev.rankql.ast.Query;
import dev.rankql.ast.QueryVector;
import dev.rankql.ast.Retriever;
import dev.rankql.ast.SearchRequest;
import dev.rankql.ast.SourceFilter;
import dev.rankql.ast.Span;
import dev.rankql.ast.Value;
import dev.rankql.bench.engine.Stats;
import dev.rankql.engine.Engine;
import dev.rankql.engine.RefreshPolicy;
import dev.rankql.engine.mapping.FieldNames;
import dev.rankql.engine.mapping.VectorSimilarity;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.apache.lucene.search.KnnFloatVectorQuery;

/**
 * Indexes random unit vectors through the engine and measures knn and rrf retrieval against raw Lucene on the same
 * searcher, interleaved query by query (the order of the two alternates), so both see the same machine load.
 */
public final class HybridBench {

    /** The run's size: documents, dimensions, measured queries per round and rounds. */
    public record Config(int docs, int dims, int queries, int rounds) {
        /** The default run: 100,000 vectors of 384 dimensions. */
        public static Config quick() {
            return new Config(100_000, 384, 50, 3);
        }

        Config withDocs(int n) {
            return new Config(n, dims, queries, rounds);
        }

        Config withDims(int n) {
            return new Config(docs, n, queries, rounds);
        }

        Config withQueries(int n) {
            return new Config(docs, dims, n, rounds);
        }

        Config withRounds(int n) {
            return new Config(docs, dims, queries, n);
        }
    }

    /** One knn setting's figures: median and p99 latency (ms) of both, and recall of both against brute force. */
    record KnnRow(int k, int candidates, double rankqlP50, double rankqlP99, double luceneP50, double luceneP99,
            double rankqlRecall, double luceneRecall) {}

    /** The rrf figures: median latency (ms) of the rrf retriever and of its two children run one after the other. */
    record RrfRow(int window, double rrfP50, double childrenP50) {}

    /** Everything measured. */
    record Result(Config config, double indexSeconds, List<KnnRow> knn, RrfRow rrf) {
        String toMarkdown() {
            var out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "%,d vectors of %d dims, indexed through the engine in %.1f s; %d rounds of %d queries%n%n",
                    config.docs(), config.dims(), indexSeconds, config.rounds(), config.queries()));
            out.append("| k | num_candidates | rankql p50 ms | Lucene p50 ms | ratio | rankql p99 ms | Lucene p99 ms | rankql recall | Lucene recall |\n");
            out.append("|---|---|---|---|---|---|---|---|---|\n");
            for (var row : knn) {
                out.append(String.format(Locale.ROOT, "| %d | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.3f | %.3f |%n", row.k(),
                        row.candidates(), row.rankqlP50(), row.luceneP50(), row.rankqlP50() / row.luceneP50(), row.rankqlP99(),
                        row.luceneP99(), row.rankqlRecall(), row.luceneRecall()));
            }
            out.append(String.format(Locale.ROOT, "%nrrf (window %d, standard + knn) p50 %.2f ms; its children alone, summed, p50 %.2f ms; ratio %.2f%n",
                    rrf.window(), rrf.rrfP50(), rrf.childrenP50(), rrf.rrfP50() / rrf.childrenP50()));
            return out.toString();
        }

        String toJson() {
            var rows = new ArrayList<String>();
            for (var row : knn) {
                rows.add(String.format(Locale.ROOT, "{\"k\":%d,\"num_candidates\":%d,\"rankql_p50_ms\":%.3f,\"lucene_p50_ms\":%.3f,"
                        + "\"rankql_p99_ms\":%.3f,\"lucene_p99_ms\":%.3f,\"rankql_recall\":%.4f,\"lucene_recall\":%.4f}",
                        row.k(), row.candidates(), row.rankqlP50(), row.luceneP50(), row.rankqlP99(), row.luceneP99(),
                        row.rankqlRecall(), row.luceneRecall()));
            }
            return String.format(Locale.ROOT, "{\"suite\":\"hybrid\",\"docs\":%d,\"dims\":%d,\"index_seconds\":%.2f,\"knn\":[%s],"
                    + "\"rrf\":{\"window\":%d,\"rrf_p50_ms\":%.3f,\"children_p50_ms\":%.3f}}", config.docs(), config.dims(),
                    indexSeconds, String.join(",", rows), rrf.window(), rrf.rrfP50(), rrf.childrenP50());
        }
    }

    private static final String INDEX = "vectors";
    private static final int WORDS = 200;

    private final Config config;
    private final PrintStream log;

    HybridBench(Config config, PrintStream log) {
        this.config = config;
        this.log = log;
    }

    Result run(Path work) throws IOException {
        var random = new Random(384);
        try (var engine = Engine.open(work)) {
            engine.createIndex(INDEX, "{\"mappings\": {\"properties\": {\"text\": {\"type\": \"text\"}, \"v\": "
                    + "{\"type\": \"dense_vector\", \"dims\": " + config.dims() + ", \"similarity\": \"cosine\"}}}}");
            var vectors = new float[config.docs()][];
            long start = System.nanoTime();
            var batch = new StringBuilder();
            for (int i = 0; i < config.docs(); i++) {
                vectors[i] = unit(random, config.dims());
                batch.append("{\"index\":{\"_id\":\"").append(i).append("\"}}\n{\"text\":\"");
                for (int w = 0, n = 3 + random.nextInt(8); w < n; w++) {
                    batch.append(w == 0 ? "" : " ").append('w').append(zipf(random));
                }
                batch.append("\",\"v\":[");
                for (int d = 0; d < vectors[i].length; d++) {
                    batch.append(d == 0 ? "" : ",").append(vectors[i][d]);
                }
                batch.append("]}\n");
                if ((i + 1) % 2_000 == 0 || i + 1 == config.docs()) {
                    var response = engine.bulk(INDEX, new StringReader(batch.toString()), RefreshPolicy.NONE);
                    if (response.errors()) {
                        throw new IllegalStateException("bulk failed");
                    }
                    batch.setLength(0);
                    log.printf(Locale.ROOT, "hybrid bench: indexed %,d of %,d%n", i + 1, config.docs());
                }
            }
            engine.refresh(INDEX);
            double indexSeconds = (System.nanoTime() - start) / 1e9;
            var knnRows = new ArrayList<KnnRow>();
            for (int[] setting : new int[][] {{10, 15}, {10, 100}, {100, 150}, {100, 500}}) {
                knnRows.add(knn(engine, vectors, random, setting[0], setting[1]));
            }
            return new Result(config, indexSeconds, knnRows, rrf(engine, random, 100));
        }
    }

    private KnnRow knn(Engine engine, float[][] vectors, Random random, int k, int candidates) {
        int total = config.queries() * config.rounds();
        var rankqlTimes = new double[total];
        var luceneTimes = new double[total];
        long rankqlFound = 0;
        long luceneFound = 0;
        // Warm-up: both paths, unmeasured.
        for (int q = 0; q < Math.min(20, config.queries()); q++) {
            var query = unit(random, config.dims());
            rankqlIds(engine, query, k, candidates);
            luceneIds(engine, query, k, candidates);
        }
        for (int q = 0; q < total; q++) {
            var query = unit(random, config.dims());
            var exact = exactTop(vectors, query, k);
            Set<String> rankql;
            Set<String> lucene;
            long a;
            long b;
            if (q % 2 == 0) {
                a = System.nanoTime();
                rankql = rankqlIds(engine, query, k, candidates);
                b = System.nanoTime();
                lucene = luceneIds(engine, query, k, candidates);
                luceneTimes[q] = (System.nanoTime() - b) / 1e6;
                rankqlTimes[q] = (b - a) / 1e6;
            } else {
                a = System.nanoTime();
                lucene = luceneIds(engine, query, k, candidates);
                b = System.nanoTime();
                rankql = rankqlIds(engine, query, k, candidates);
                rankqlTimes[q] = (System.nanoTime() - b) / 1e6;
                luceneTimes[q] = (b - a) / 1e6;
            }
            rankqlFound += exact.stream().filter(rankql::contains).count();
            luceneFound += exact.stream().filter(lucene::contains).count();
        }
        log.printf(Locale.ROOT, "hybrid bench: knn k=%d num_candidates=%d measured%n", k, candidates);
        return new KnnRow(k, candidates, Stats.median(rankqlTimes), Stats.percentile(rankqlTimes, 99), Stats.median(luceneTimes),
                Stats.percentile(luceneTimes, 99), rankqlFound / (double) (total * k), luceneFound / (double) (total * k));
    }

    private static SearchRequest request(Retriever retriever, int size) {
        return new SearchRequest(Span.NONE, Optional.empty(), Optional.of(retriever), Optional.empty(), List.of(),
                Optional.empty(), Optional.of(size), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(new SourceFilter.Fetch(false)), Optional.empty(), Optional.empty(), List.of(), List.of(),
                Optional.empty(), Map.of());
    }

    private static Retriever.Knn knnRetriever(float[] query, int k, int candidates) {
        return new Retriever.Knn(Span.NONE, "v", QueryVector.of(query), Optional.of(k), Optional.of(candidates),
                Optional.empty(), List.of(), Optional.empty(), Optional.empty());
    }

    private static Set<String> rankqlIds(Engine engine, float[] query, int k, int candidates) {
        var ids = new HashSet<String>();
        engine.search(INDEX, request(knnRetriever(query, k, candidates), k)).hits().forEach(h -> ids.add(h.id()));
        return ids;
    }

    /** What a Lucene programmer writes: the HNSW query for num_candidates, the top k, their ids. */
    private static Set<String> luceneIds(Engine engine, float[] query, int k, int candidates) {
        return engine.withSearcher(INDEX, (index, searcher) -> {
            var top = searcher.search(new KnnFloatVectorQuery("v", query, candidates), k);
            var ids = new HashSet<String>();
            var stored = searcher.storedFields();
            for (var hit : top.scoreDocs) {
                ids.add(stored.document(hit.doc, Set.of(FieldNames.ID)).get(FieldNames.ID));
            }
            return ids;
        });
    }

    private static Set<String> exactTop(float[][] vectors, float[] query, int k) {
        var scores = new float[vectors.length];
        for (int i = 0; i < vectors.length; i++) {
            scores[i] = VectorSimilarity.COSINE.score(query, vectors[i]);
        }
        var order = new Integer[vectors.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> Float.compare(scores[y], scores[x]));
        var ids = new HashSet<String>();
        for (int i = 0; i < k; i++) {
            ids.add(Integer.toString(order[i]));
        }
        return ids;
    }

    private RrfRow rrf(Engine engine, Random random, int window) {
        int total = config.queries() * config.rounds();
        var fusedTimes = new double[total];
        var childrenTimes = new double[total];
        for (int q = -Math.min(20, config.queries()); q < total; q++) {
            var text = new Query.Match(Span.NONE, "text", Value.of("w" + zipf(random) + " w" + zipf(random)), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
            var standard = new Retriever.Standard(Span.NONE, Optional.of(text), List.of(), Optional.empty(), Optional.empty(),
                    List.of(), List.of(), Optional.empty(), Optional.empty());
            var knn = knnRetriever(unit(random, config.dims()), window, (int) Math.ceil(window * 1.5));
            var rrf = new Retriever.Rrf(Span.NONE, List.of(Retriever.Rrf.Component.of(standard), Retriever.Rrf.Component.of(knn)),
                    Optional.of(window), Optional.empty(), List.of(), Optional.empty(), Optional.empty());
            long a;
            long b;
            double fused;
            double children;
            if ((q & 1) == 0) {
                a = System.nanoTime();
                engine.search(INDEX, request(rrf, 10));
                b = System.nanoTime();
                engine.search(INDEX, request(standard, window));
                engine.search(INDEX, request(knn, window));
                children = (System.nanoTime() - b) / 1e6;
                fused = (b - a) / 1e6;
            } else {
                a = System.nanoTime();
                engine.search(INDEX, request(standard, window));
                engine.search(INDEX, request(knn, window));
                b = System.nanoTime();
                engine.search(INDEX, request(rrf, 10));
                fused = (System.nanoTime() - b) / 1e6;
                children = (b - a) / 1e6;
            }
            if (q >= 0) {
                fusedTimes[q] = fused;
                childrenTimes[q] = children;
            }
        }
        log.println("hybrid bench: rrf measured");
        return new RrfRow(window, Stats.median(fusedTimes), Stats.median(childrenTimes));
    }

    /** A word rank from a rough Zipf distribution over {@value #WORDS} words, so some words are common. */
    private static int zipf(Random random) {
        return (int) Math.min(WORDS - 1, Math.floor(Math.exp(random.nextDouble() * Math.log(WORDS))) - 1);
    }

    private static float[] unit(Random random, int dims) {
        var v = new float[dims];
        double norm = 0;
        for (int i = 0; i < dims; i++) {
            v[i] = (float) random.nextGaussian();
            norm += v[i] * v[i];
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < dims; i++) {
            v[i] *= scale;
        }
        return v;
    }
}
