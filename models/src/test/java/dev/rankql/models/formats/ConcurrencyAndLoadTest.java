package dev.rankql.models.formats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rankql.models.LoadOptions;
import dev.rankql.models.Model;
import java.util.ArrayList;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** One model shared by several threads scores as it does alone, and a large generated model loads. */
class ConcurrencyAndLoadTest {

    /** An XGBoost JSON model of {@code trees} complete trees of depth {@code depth} over {@code features} features. */
    static String xgboostModel(int trees, int depth, int features, long seed) {
        var random = new SplittableRandom(seed);
        var text = new StringBuilder();
        text.append("{\"learner\":{\"learner_model_param\":{\"base_score\":\"[5E-1]\",\"num_class\":\"0\",")
                .append("\"num_feature\":\"").append(features).append("\"},\"objective\":{\"name\":\"rank:ndcg\"},")
                .append("\"gradient_booster\":{\"name\":\"gbtree\",\"model\":{\"trees\":[");
        int nodes = (1 << (depth + 1)) - 1;
        int inner = (1 << depth) - 1;
        for (int t = 0; t < trees; t++) {
            var left = new StringBuilder();
            var right = new StringBuilder();
            var feature = new StringBuilder();
            var condition = new StringBuilder();
            var defaults = new StringBuilder();
            for (int n = 0; n < nodes; n++) {
                String sep = n == 0 ? "" : ",";
                boolean leaf = n >= inner;
                left.append(sep).append(leaf ? -1 : 2 * n + 1);
                right.append(sep).append(leaf ? -1 : 2 * n + 2);
                feature.append(sep).append(leaf ? 0 : random.nextInt(features));
                condition.append(sep).append((float) (random.nextDouble() * 2 - 1));
                defaults.append(sep).append(random.nextBoolean() ? 1 : 0);
            }
            text.append(t == 0 ? "" : ",").append("{\"tree_param\":{\"num_nodes\":\"").append(nodes).append("\"},")
                    .append("\"left_children\":[").append(left).append("],")
                    .append("\"right_children\":[").append(right).append("],")
                    .append("\"split_indices\":[").append(feature).append("],")
                    .append("\"split_conditions\":[").append(condition).append("],")
                    .append("\"default_left\":[").append(defaults).append("]}");
        }
        return text.append("]}}}}").toString();
    }

    @Test
    void aSharedModelScoresTheSameFromManyThreads() throws Exception {
        Model model = Models.load("xgboost", xgboostModel(200, 6, 20, 1), LoadOptions.DEFAULTS);
        int rows = 3000;
        float[] data = Parity.randomRows(new SplittableRandom(2), rows, 20, 0.1);
        double[] alone = Parity.score(model, data, rows);
        try (var pool = Executors.newFixedThreadPool(4)) {
            var tasks = new ArrayList<Callable<double[]>>();
            for (int i = 0; i < 8; i++) {
                int blockRows = 1 + i * 37;
                tasks.add(() -> {
                    double[] out = new double[rows];
                    for (int start = 0; start < rows; start += blockRows) {
                        model.score(data, start, Math.min(blockRows, rows - start), out, start);
                    }
                    return out;
                });
            }
            for (var result : pool.invokeAll(tasks)) {
                assertThat(result.get()).isEqualTo(alone);
            }
        }
    }

    @Test
    void aVeryDeepNestedTreeLoadsWithoutRecursion() {
        int depth = 3000;
        var text = new StringBuilder("[");
        for (int d = 0; d < depth; d++) {
            text.append("{\"nodeid\":").append(2 * d).append(",\"split\":\"f0\",\"split_condition\":").append(d)
                    .append(",\"yes\":").append(2 * d + 1).append(",\"no\":").append(2 * d + 2)
                    .append(",\"children\":[{\"nodeid\":").append(2 * d + 1).append(",\"leaf\":").append(d)
                    .append("},");
        }
        text.append("{\"nodeid\":").append(2 * depth).append(",\"leaf\":-1}");
        text.append("]}".repeat(depth)).append("]");
        Model model = Models.load("xgboost-dump", text.toString(), LoadOptions.DEFAULTS);
        // A value below 0 takes the first yes branch; 2998.5 walks to the last split's yes leaf; more reaches the end.
        assertThat(model.score(new double[] {-1})).isEqualTo(0.0);
        assertThat(model.score(new double[] {2998.5})).isEqualTo(2999.0);
        assertThat(model.score(new double[] {5000})).isEqualTo(-1.0);
        assertThat(((dev.rankql.models.Explanation.Trees) model.explain(new double[] {5000})).trees().get(0).steps())
                .hasSize(depth);
    }

    @Test
    void manyDeepTreesLoad() {
        Model model = Models.load("xgboost", xgboostModel(300, 8, 50, 3), LoadOptions.DEFAULTS);
        assertThat(((dev.rankql.models.TreeEnsemble) model).splitCount()).isEqualTo(300 * 255);
        assertThat(((dev.rankql.models.TreeEnsemble) model).leafCount()).isEqualTo(300 * 256);
    }
}
