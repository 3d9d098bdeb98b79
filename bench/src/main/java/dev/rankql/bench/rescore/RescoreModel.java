package dev.rankql.bench.rescore;

import dev.rankql.bench.engine.Corpus;
import dev.rankql.bench.models.ReferenceModels;
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
     * Generated judgments: the rows (features of the judged documents, row-major, NaN where missing), their grades 0–4,
     * and the query groups, as both trainers take them; {@code key} names the data in cache file names.
     */
    public record TrainingData(float[] rows, float[] labels, int[] groups, int rowCount, int width, String key) {}

    /**
     * The XGBoost JSON model of {@code trees} trees of depth {@code depth} for the corpus of {@code docs} documents of
     * seed {@code seed}, trained on {@code queries} training queries with their top {@code perQuery} documents; cached in
     * the temporary directory.
     */
    public static String train(IndexSearcher searcher, RescoreFeatures features, int docs, long seed, int trees, int depth,
            int queries, int perQuery) {
        var dir = Path.of(System.getProperty("java.io.tmpdir"), "rankql-bench-models-" + VERSION);
        var name = String.format(Locale.ROOT, "rescore-%d-%d-%d-%d-%d-%d-%08x.json", docs, seed, trees, depth, queries,
                perQuery, features.featureSetJson().hashCode());
        return cached(dir.resolve(name), () -> {
            var data = data(searcher, features, String.valueOf(docs), seed, queries, perQuery);
            return xgboostNow(data, trees, depth, 1);
        });
    }

    /**
     * The judgments for {@code features} on the index of {@code searcher} ({@code corpus} names it in cache keys):
     * {@code queries} training queries (seed {@code seed + 100}, apart from the measured ones), the top {@code perQuery}
     * first-pass documents of each, graded by a hidden relevance function of the twenty-feature set's values plus
     * noise, so that every feature set is trained on the same grades.
     */
    public static TrainingData data(IndexSearcher searcher, RescoreFeatures features, String corpus, long seed, int queries,
            int perQuery) throws IOException {
        return data(searcher, features, corpus, seed, Corpus.queries(queries, seed + 100), perQuery);
    }

    /** As above, on the training queries {@code texts} (a corpus with its own vocabulary draws its own). */
    public static TrainingData data(IndexSearcher searcher, RescoreFeatures features, String corpus, long seed,
            java.util.List<String> texts, int perQuery) throws IOException {
        int queries = texts.size();
        int width = features.size();
        var loop = new HandWrittenLoop(searcher, features, null);
        var judge = new RescoreFeatures(20);
        var judgeLoop = width == 20 ? loop : new HandWrittenLoop(searcher, judge, null);
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
            var judged = judgeLoop == loop ? matrix : judgeLoop.extract(text, docs);
            var relevance = new double[docs.length];
            for (int r = 0; r < docs.length; r++) {
                relevance[r] = hiddenRelevance(judge, judged, r * 20) + noise.nextGaussian() * 0.3;
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
        var key = String.format(Locale.ROOT, "%s-%d-%d-%d-%08x", corpus, seed, queries, perQuery,
                features.featureSetJson().hashCode());
        return new TrainingData(Arrays.copyOf(rows, count * width), Arrays.copyOf(labels, count),
                Arrays.copyOf(groups, groupCount), count, width, key);
    }

    /** xgboost4j {@code rank:ndcg} GBDT on {@code data}, as XGBoost JSON, cached in {@code cache}. */
    public static String xgboost(TrainingData data, int trees, int depth, int threads, Path cache) {
        return cached(cache.resolve("xgboost-" + data.key() + "-" + trees + "-" + depth + ".json"),
                () -> xgboostNow(data, trees, depth, threads));
    }

    private static String xgboostNow(TrainingData data, int trees, int depth, int threads) {
        var params = new HashMap<String, Object>();
        params.put("objective", "rank:ndcg");
        params.put("max_depth", depth);
        params.put("eta", 0.05);
        params.put("min_child_weight", 0);
        params.put("nthread", threads);
        params.put("seed", 7);
        return trainXgboost(data, params, trees);
    }

    /**
     * xgboost4j {@code rank:ndcg} with the linear booster on {@code data}, as the weights of rankql's {@code linear}
     * format (feature name to weight; the bias is left out: a constant does not change a ranking), cached.
     */
    public static String linear(TrainingData data, RescoreFeatures features, Path cache) {
        return cached(cache.resolve("linear-" + data.key() + ".json"), () -> {
            var params = new HashMap<String, Object>();
            params.put("objective", "rank:ndcg");
            params.put("booster", "gblinear");
            params.put("eta", 0.3);
            params.put("nthread", 1);
            params.put("seed", 7);
            var json = tools.jackson.databind.json.JsonMapper.builder().build().readTree(trainXgboost(data, params, 50));
            var weights = json.get("learner").get("gradient_booster").get("model").get("weights");
            var definition = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            var names = features.names();
            for (int i = 0; i < names.size(); i++) {
                definition.put(names.get(i), weights.get(i).asDouble());
            }
            return definition.toString();
        });
    }

    private static String trainXgboost(TrainingData data, HashMap<String, Object> params, int rounds) {
        try {
            var matrix = new DMatrix(data.rows(), data.rowCount(), data.width(), Float.NaN);
            matrix.setLabel(data.labels());
            matrix.setGroup(data.groups());
            Booster booster = XGBoost.train(matrix, params, rounds, new HashMap<>(), null, null);
            var json = new String(booster.toByteArray("json"), StandardCharsets.UTF_8);
            booster.dispose();
            matrix.dispose();
            return json;
        } catch (XGBoostError e) {
            throw new IllegalStateException("xgboost training failed", e);
        }
    }

    /** lightgbmlib {@code lambdarank} with {@code trees} trees of at most depth {@code depth} on {@code data}, cached. */
    public static String lightgbm(TrainingData data, int trees, int depth, int threads, Path cache) {
        ReferenceModels.loadLightGbm();
        return cached(cache.resolve("lightgbm-" + data.key() + "-" + trees + "-" + depth + ".txt"),
                () -> ReferenceModels.lambdarank(data.rows(), data.labels(), data.groups(), data.rowCount(), data.width(),
                        trees, depth, threads));
    }

    private interface Trainer {
        String train() throws IOException;
    }

    private static synchronized String cached(Path file, Trainer trainer) {
        try {
            if (Files.isRegularFile(file)) {
                return Files.readString(file, StandardCharsets.UTF_8);
            }
            var text = trainer.train();
            var dir = file.getParent();
            Files.createDirectories(dir);
            var partial = Files.createTempFile(dir, file.getFileName().toString(), ".part");
            Files.writeString(partial, text, StandardCharsets.UTF_8);
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
