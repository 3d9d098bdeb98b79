package dev.rankql.bench.rescore;

import dev.rankql.bench.engine.Corpus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.SplittableRandom;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.apache.lucene.search.IndexSearcher;

/**
 * The benchmark's model: xgboost4j {@code rank:ndcg} trained on generated judgments of the benchmark index, its
 * features extracted by {@link HandWrittenLoop} for the top documents of training queries (a query set of its own,
 * apart from the measured queries), graded 0–4 by a hidden relevance function of a few features plus noise.
 * Cached on disk per corpus, feature set and shape, since training 500 trees takes a while on one core.
 */
public final class RescoreModel {

    private static final String VERSION = "v1";

    private RescoreModel() {}

    /**
     * The XGBoost JSON model of {@code trees} trees of depth {@code depth} for the corpus of {@code docs} documents of
     * seed {@code seed}, trained on {@code queries} training queries with their top {@code perQuery} documents.
     */
    public static String train(IndexSearcher searcher, RescoreFeatures features, int docs, long seed, int trees, int depth,
            int queries, int perQuery) {
        var name = String.format(Locale.ROOT, "rescore-%d-%d-%d-%d-%d-%d-%08x.json", docs, seed, trees, depth, queries,
                perQuery, features.featureSetJson().hashCode());
        var dir = Path.of(System.getProperty("java.io.tmpdir"), "rankql-bench-models-" + VERSION);
        var file = dir.resolve(name);
        try {
            if (Files.isRegularFile(file)) {
                return Files.readString(file, StandardCharsets.UTF_8);
            }
            var text = trainNow(searcher, features, seed, trees, depth, queries, perQuery);
            Files.createDirectories(dir);
            var partial = Files.createTempFile(dir, name, ".part");
            Files.writeString(partial, text, StandardCharsets.UTF_8);
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String trainNow(IndexSearcher searcher, RescoreFeatures features, long seed, int trees, int depth,
            int queries, int perQuery) throws IOException {
        int width = features.size();
        var loop = new HandWrittenLoop(searcher, features, null);
        var texts = Corpus.queries(queries, seed + 100);
        var noise = new SplittableRandom(seed + 200);
        var rows = new float[queries * perQuery * width];
        var labels = new float[queries * perQuery];
        var groups = new int[queries];
        int count = 0;
        int groupCount = 0;
        for (var text : texts) {
            var top = searcher.search(features.firstPass(text), perQuery).scoreDocs;
            if (top.length < 2) {
                continue;
            }
            var docs = Arrays.stream(top).mapToInt(d -> d.doc).sorted().toArray();
            var matrix = loop.extract(text, docs);
            var relevance = new double[docs.length];
            for (int r = 0; r < docs.length; r++) {
                relevance[r] = hiddenRelevance(features, matrix, r * width) + noise.nextGaussian() * 0.3;
            }
            var sorted = relevance.clone();
            Arrays.sort(sorted);
            for (int r = 0; r < docs.length; r++) {
                // Grades by rank within the query: the top 5 % get 4, then 10 % 3, 15 % 2, 20 % 1, the rest 0.
                double quantile = (double) Arrays.binarySearch(sorted, relevance[r]) / docs.length;
                labels[count + r] = quantile >= 0.95 ? 4 : quantile >= 0.85 ? 3 : quantile >= 0.70 ? 2 : quantile >= 0.50 ? 1 : 0;
            }
            System.arraycopy(matrix, 0, rows, count * width, docs.length * width);
            count += docs.length;
            groups[groupCount++] = docs.length;
        }
        try {
            var data = new DMatrix(Arrays.copyOf(rows, count * width), count, width, Float.NaN);
            data.setLabel(Arrays.copyOf(labels, count));
            data.setGroup(Arrays.copyOf(groups, groupCount));
            var params = new HashMap<String, Object>();
            params.put("objective", "rank:ndcg");
            params.put("max_depth", depth);
            params.put("eta", 0.05);
            params.put("min_child_weight", 0);
            params.put("nthread", 1);
            params.put("seed", 7);
            Booster booster = XGBoost.train(data, params, trees, new HashMap<>(), null, null);
            var json = new String(booster.toByteArray("json"), StandardCharsets.UTF_8);
            booster.dispose();
            data.dispose();
            return json;
        } catch (XGBoostError e) {
            throw new IllegalStateException("xgboost training failed", e);
        }
    }

    /** What the judgments reward: title matches and phrases most, then content, popularity and a low price. */
    private static double hiddenRelevance(RescoreFeatures features, float[] matrix, int base) {
        var names = features.names();
        double y = 0;
        y += 0.8 * value(matrix[base + names.indexOf("title_match")]);
        y += 0.3 * value(matrix[base + names.indexOf("content_match")]);
        y += Float.isNaN(matrix[base + names.indexOf("title_phrase")]) ? 0 : 1.5;
        y += Float.isNaN(matrix[base + names.indexOf("content_phrase")]) ? 0 : 0.5;
        y += 0.1 * Math.log1p(value(matrix[base + names.indexOf("popularity")]));
        y -= 0.002 * value(matrix[base + names.indexOf("price")]);
        return y;
    }

    private static double value(float x) {
        return Float.isNaN(x) ? 0 : x;
    }
}
