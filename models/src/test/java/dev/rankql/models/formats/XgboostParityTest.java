package dev.rankql.models.formats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rankql.models.LoadOptions;
import dev.rankql.models.Model;
import dev.rankql.models.TreeEnsemble;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Models trained by xgboost4j in the test score in rankql exactly as xgboost4j predicts them. */
class XgboostParityTest {

    private static final int FEATURES = 8;
    private static final int TRAIN_ROWS = 2000;
    private static final int TEST_ROWS = 12_000;
    private static final int GROUP = 20;

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("rank:ndcg", 6, 100, null),
                Arguments.of("rank:pairwise", 2, 1000, null),
                Arguments.of("reg:squarederror", 8, 40, null),
                Arguments.of("reg:squarederror", 5, 1, 0.0),
                Arguments.of("binary:logistic", 4, 60, 0.3),
                Arguments.of("binary:logistic", 3, 30, null));
    }

    @ParameterizedTest(name = "{0} depth {1} trees {2} base_score {3}")
    @MethodSource("models")
    void scoresMatchXgboost(String objective, int depth, int trees, Double baseScore) throws Exception {
        var random = new SplittableRandom(objective.hashCode() * 31L + depth * 7L + trees);
        float[] train = Parity.randomRows(random, TRAIN_ROWS, FEATURES, 0.1);
        float[] labels = labels(random, train, objective);
        DMatrix dtrain = new DMatrix(train, TRAIN_ROWS, FEATURES, Float.NaN);
        dtrain.setLabel(labels);
        boolean named = objective.equals("reg:squarederror") && depth == 8;
        if (named) {
            String[] names = new String[FEATURES];
            for (int f = 0; f < FEATURES; f++) {
                names[f] = "feature_" + (char) ('a' + f);
            }
            dtrain.setFeatureNames(names);
        }
        if (objective.startsWith("rank:")) {
            int[] groups = new int[TRAIN_ROWS / GROUP];
            java.util.Arrays.fill(groups, GROUP);
            dtrain.setGroup(groups);
        }
        Map<String, Object> params = new HashMap<>();
        params.put("objective", objective);
        params.put("max_depth", depth);
        params.put("eta", trees >= 500 ? 0.05 : 0.2);
        params.put("nthread", 1);
        params.put("seed", 7);
        if (baseScore != null) {
            params.put("base_score", baseScore);
        }
        long t0 = System.nanoTime();
        Booster booster = XGBoost.train(dtrain, params, trees, new HashMap<>(), null, null);
        long t1 = System.nanoTime();
        String json = new String(booster.toByteArray("json"), StandardCharsets.UTF_8);
        TreeEnsemble model = (TreeEnsemble) Models.load("xgboost", json, LoadOptions.DEFAULTS);
        assertThat(model.treeCount()).isEqualTo(trees);
        assertThat(model.featureNames().get(1)).isEqualTo(named ? "feature_b" : "f1");

        long t2 = System.nanoTime();
        float[] test = Parity.randomRows(random, TEST_ROWS, FEATURES, 0.1);
        Parity.plantThresholds(random, test, FEATURES, model, 0.15);
        DMatrix dtest = new DMatrix(test, TEST_ROWS, FEATURES, Float.NaN);
        if (named) {
            dtest.setFeatureNames(model.featureNames().toArray(String[]::new));
        }
        float[] expected = column(booster.predict(dtest, false));
        float[] expectedMargin = column(booster.predict(dtest, true));

        double[] ours = Parity.score(model, test, TEST_ROWS);
        String what = objective + " depth " + depth + " trees " + trees;
        double error = Parity.assertClose(what, ours, expected);
        assertThat(Parity.scoreOneByOne(model, test, TEST_ROWS)).as("row by row").isEqualTo(ours);

        long t3 = System.nanoTime();
        int explained = 300;
        double[] all = toDouble(test);
        double[] margins = new double[explained];
        float[] expectedSome = java.util.Arrays.copyOf(expectedMargin, explained);
        for (int r = 0; r < explained; r++) {
            var explanation = model.explain(java.util.Arrays.copyOfRange(all, r * FEATURES, (r + 1) * FEATURES));
            assertThat(explanation.score()).isEqualTo(ours[r]);
            margins[r] = explanation.margin();
        }
        double marginError = Parity.assertClose(what + " margin", margins, expectedSome);
        long t4 = System.nanoTime();

        String[] dump = booster.getModelDump((String) null, false, "json");
        // A dump does not record how many features the model has, so the columns are named explicitly.
        Model dumped = Models.load("xgboost-dump", "[" + String.join(",", dump) + "]",
                LoadOptions.withFeatures(model.featureNames()));
        double[] dumpScores = Parity.score(dumped, test, TEST_ROWS);
        for (int r = 0; r < TEST_ROWS; r++) {
            dumpScores[r] += (float) model.baseScore();
        }
        double dumpError = Parity.assertClose(what + " dump + base margin", dumpScores, expectedMargin);

        if (!objective.equals("reg:squarederror")) {
            // The OpenSearch plugin's reading: the same trees from a margin of 0 (XGBoost's margin less its base).
            Model openSearch = Models.load("xgboost-opensearch", json, LoadOptions.DEFAULTS);
            float[] withoutBase = new float[TEST_ROWS];
            boolean logistic = objective.equals("binary:logistic");
            for (int r = 0; r < TEST_ROWS; r++) {
                double margin = expectedMargin[r] - (float) model.baseScore();
                withoutBase[r] = (float) (logistic ? 1 / (1 + Math.exp(-margin)) : margin);
            }
            Parity.assertClose(what + " read as OpenSearch", Parity.score(openSearch, test, TEST_ROWS), withoutBase);
        }

        Model converted = Models.load("es", Models.toElasticsearch(model, "converted"), LoadOptions.DEFAULTS);
        double esError = Parity.assertClose(what + " converted to es", Parity.score(converted, test, TEST_ROWS),
                expected);

        long t5 = System.nanoTime();
        Parity.report("timing train " + (t1 - t0) / 1e6 + " load " + (t2 - t1) / 1e6 + " predict+score "
                + (t3 - t2) / 1e6 + " explain " + (t4 - t3) / 1e6 + " dump+es " + (t5 - t4) / 1e6);
        Parity.report("xgboost " + what + " base_score " + model.baseScore() + " rows " + TEST_ROWS
                + " maxRel json=" + error + " margin=" + marginError + " dump=" + dumpError + " es=" + esError
                + " exactBits=" + exactCount(ours, expected));
        booster.dispose();
        dtrain.dispose();
        dtest.dispose();
    }

    @org.junit.jupiter.api.Test
    void categoricalSplitsMatchXgboost() throws Exception {
        var random = new SplittableRandom(11);
        float[] train = Parity.randomRows(random, TRAIN_ROWS, FEATURES, 0.1);
        for (int r = 0; r < TRAIN_ROWS; r++) {
            if (!Float.isNaN(train[r * FEATURES])) {
                train[r * FEATURES] = random.nextInt(20);
            }
        }
        float[] labels = new float[TRAIN_ROWS];
        for (int r = 0; r < TRAIN_ROWS; r++) {
            float category = train[r * FEATURES];
            labels[r] = (float) ((Float.isNaN(category) ? 0.5 : (int) category % 3 == 0 ? 2 : (int) category % 5 == 1
                    ? -1 : 0) + nz(train[r * FEATURES + 1]) + random.nextGaussian() * 0.2);
        }
        DMatrix dtrain = new DMatrix(train, TRAIN_ROWS, FEATURES, Float.NaN);
        dtrain.setLabel(labels);
        String[] types = new String[FEATURES];
        java.util.Arrays.fill(types, "q");
        types[0] = "c";
        dtrain.setFeatureTypes(types);
        Map<String, Object> params = new HashMap<>();
        params.put("objective", "reg:squarederror");
        params.put("max_depth", 4);
        params.put("max_cat_to_onehot", 4);
        params.put("nthread", 1);
        params.put("seed", 7);
        Booster booster = XGBoost.train(dtrain, params, 40, new HashMap<>(), null, null);
        String json = new String(booster.toByteArray("json"), StandardCharsets.UTF_8);
        TreeEnsemble model = (TreeEnsemble) Models.load("xgboost", json, LoadOptions.DEFAULTS);
        assertThat(model.hasCategoricalSplits()).isTrue();

        float[] test = Parity.randomRows(random, TEST_ROWS, FEATURES, 0.1);
        float[] odd = {25f, -1f, 2.5f, -0.5f, 19.9f, 1e9f};
        for (int r = 0; r < TEST_ROWS; r++) {
            if (!Float.isNaN(test[r * FEATURES])) {
                test[r * FEATURES] = r % 10 == 0 ? odd[(r / 10) % odd.length] : random.nextInt(20);
            }
        }
        DMatrix dtest = new DMatrix(test, TEST_ROWS, FEATURES, Float.NaN);
        dtest.setFeatureTypes(types);
        float[] expected = column(booster.predict(dtest, false));
        double[] ours = Parity.score(model, test, TEST_ROWS);
        double error = Parity.assertClose("xgboost categorical", ours, expected);
        assertThat(Parity.scoreOneByOne(model, test, TEST_ROWS)).as("row by row").isEqualTo(ours);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> Models.toElasticsearch(model, "c")))
                .hasMessageContaining("categorical split");
        Parity.report("xgboost categorical depth 4 trees 40 rows " + TEST_ROWS + " maxRel " + error + " exactBits "
                + exactCount(ours, expected));
        booster.dispose();
        dtrain.dispose();
        dtest.dispose();
    }

    private static int exactCount(double[] ours, float[] expected) {
        int n = 0;
        for (int i = 0; i < ours.length; i++) {
            if (ours[i] == expected[i]) {
                n++;
            }
        }
        return n;
    }

    private static double[] toDouble(float[] data) {
        double[] out = new double[data.length];
        for (int i = 0; i < data.length; i++) {
            out[i] = data[i];
        }
        return out;
    }

    private static float[] column(float[][] predictions) {
        float[] out = new float[predictions.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = predictions[i][0];
        }
        return out;
    }

    private static float[] labels(SplittableRandom random, float[] x, String objective) {
        float[] y = new float[TRAIN_ROWS];
        for (int r = 0; r < TRAIN_ROWS; r++) {
            double a = nz(x[r * FEATURES]);
            double b = nz(x[r * FEATURES + 1]);
            double c = nz(x[r * FEATURES + 2]) * nz(x[r * FEATURES + 3]);
            double v = a + (b > 0.3 ? 2 : 0) - c + random.nextGaussian() * 0.3
                    + (Float.isNaN(x[r * FEATURES + 4]) ? 1.5 : 0);
            y[r] = switch (objective) {
                case "binary:logistic" -> v > 0.5 ? 1 : 0;
                case "rank:ndcg", "rank:pairwise" -> (float) Math.max(0, Math.min(4, Math.floor(v + 2)));
                default -> (float) v;
            };
        }
        return y;
    }

    private static double nz(float v) {
        return Float.isNaN(v) ? 0 : v;
    }
}
