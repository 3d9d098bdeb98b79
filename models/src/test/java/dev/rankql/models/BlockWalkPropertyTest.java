package dev.rankql.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rankql.models.formats.Models;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The block walk scores every row exactly as the general walk does, whatever the block size, the offsets, the input
 * precision or the model format: random trees with every decision type and default side, scored on rows full of
 * NaN, infinities, signed zeros and values exactly at, just below and just above the thresholds.
 */
class BlockWalkPropertyTest {

    private static final int FEATURES = 7;
    private static final int ROWS = 300;

    static Stream<Arguments> models() {
        return IntStream.range(0, 24).mapToObj(seed -> {
            String format = switch (seed % 3) {
                case 0 -> "es";
                case 1 -> "xgboost-dump";
                default -> "lightgbm";
            };
            return Arguments.of(format, seed, seed % 4 == 3);
        });
    }

    @ParameterizedTest(name = "{0} seed {1} missingAsZero {2}")
    @MethodSource("models")
    void everyPathGivesTheSameScores(String format, int seed, boolean missingAsZero) {
        var random = new SplittableRandom(seed * 7919L + 17);
        var thresholds = new ArrayList<Double>();
        String text = switch (format) {
            case "es" -> esModel(random, thresholds);
            case "xgboost-dump" -> dumpModel(random, thresholds);
            default -> lightGbmModel(random, thresholds);
        };
        List<String> names = IntStream.range(0, FEATURES).mapToObj(f -> "f" + f).toList();
        var options = LoadOptions.withFeatures(names).missingAsZero(missingAsZero);
        TreeEnsemble model = (TreeEnsemble) Models.load(format, text, options);
        TreeEnsemble scalar = model.scalarOnly();
        assertThat(model.blockWalkTrees()).as("trees laid out").isPositive();
        assertThat(scalar.blockWalkTrees()).isZero();

        double[] rows = rows(random, thresholds);
        float[] floatRows = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            floatRows[i] = (float) rows[i];
        }
        double[] expected = new double[ROWS];
        double[] expectedFloat = new double[ROWS];
        for (int r = 0; r < ROWS; r++) {
            double[] row = java.util.Arrays.copyOfRange(rows, r * FEATURES, (r + 1) * FEATURES);
            expected[r] = model.score(row);
            double[] widened = new double[FEATURES];
            for (int f = 0; f < FEATURES; f++) {
                widened[f] = floatRows[r * FEATURES + f];
            }
            expectedFloat[r] = model.score(widened);
            assertThat(model.explain(row).score()).isEqualTo(expected[r]);
        }

        assertThat(scoreInChunks(scalar, rows, ROWS)).as("scalar walk").isEqualTo(expected);
        assertThat(scoreInChunks(scalar, floatRows, ROWS)).as("scalar walk, float rows").isEqualTo(expectedFloat);
        for (int chunk : new int[] {1, 2, 3, 4, 5, 7, 8, 13, 63, 64, 65, 100, 128, 129, 255, 256, 257, ROWS}) {
            assertThat(scoreInChunks(model, rows, chunk)).as("block walk, chunks of %d", chunk).isEqualTo(expected);
            assertThat(scoreInChunks(model, floatRows, chunk)).as("block walk, float rows, chunks of %d", chunk)
                    .isEqualTo(expectedFloat);
        }
        // An offset block: rows 5.. into out[3..].
        double[] out = new double[ROWS];
        model.score(rows, 5, ROWS - 5, out, 3);
        assertThat(java.util.Arrays.copyOfRange(out, 3, ROWS - 2))
                .isEqualTo(java.util.Arrays.copyOfRange(expected, 5, ROWS));
    }

    private static double[] scoreInChunks(TreeEnsemble model, double[] rows, int chunk) {
        double[] out = new double[ROWS];
        for (int start = 0; start < ROWS; start += chunk) {
            model.score(rows, start, Math.min(chunk, ROWS - start), out, start);
        }
        return out;
    }

    private static double[] scoreInChunks(TreeEnsemble model, float[] rows, int chunk) {
        double[] out = new double[ROWS];
        for (int start = 0; start < ROWS; start += chunk) {
            model.score(rows, start, Math.min(chunk, ROWS - start), out, start);
        }
        return out;
    }

    private static double[] rows(SplittableRandom random, List<Double> thresholds) {
        double[] rows = new double[ROWS * FEATURES];
        for (int i = 0; i < rows.length; i++) {
            double t = thresholds.isEmpty() ? 0.5 : thresholds.get(random.nextInt(thresholds.size()));
            rows[i] = switch (random.nextInt(14)) {
                case 0, 1 -> Double.NaN;
                case 2 -> t;
                case 3 -> Math.nextUp(t);
                case 4 -> Math.nextDown(t);
                case 5 -> (float) t;
                case 6 -> Math.nextUp((float) t);
                case 7 -> Math.nextDown((float) t);
                case 8 -> random.nextBoolean() ? 0.0 : -0.0;
                case 9 -> random.nextBoolean() ? 1e-36 : -1e-36;
                case 10 -> random.nextInt(20) == 0
                        ? (random.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY) : t * 2;
                default -> random.nextDouble(-4, 4);
            };
        }
        return rows;
    }

    /** A threshold near the thresholds already drawn, or a fresh one, sometimes a non-float or zero. */
    private static double threshold(SplittableRandom random, List<Double> thresholds) {
        double t = switch (random.nextInt(6)) {
            case 0 -> 0.0;
            case 1 -> Math.round(random.nextDouble(-4, 4) * 4) / 4.0;
            case 2 -> random.nextDouble(-4, 4) / 3;
            default -> (float) random.nextDouble(-4, 4);
        };
        if (!thresholds.isEmpty() && random.nextInt(4) == 0) {
            t = thresholds.get(random.nextInt(thresholds.size()));
        }
        thresholds.add(t);
        return t;
    }

    private static double leaf(SplittableRandom random) {
        return Math.round(random.nextDouble(-2, 2) * 1000) / 1000.0;
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%s", value);
    }

    // --- Elasticsearch: any decision type, any default side, double arithmetic, infinities missing.

    private static String esModel(SplittableRandom random, List<Double> thresholds) {
        var trees = new ArrayList<String>();
        int count = 1 + random.nextInt(12);
        for (int t = 0; t < count; t++) {
            var nodes = new ArrayList<String>();
            esNode(random, thresholds, nodes, random.nextInt(7), 0);
            trees.add("{\"tree\": {\"feature_names\": " + featureList() + ", \"tree_structure\": ["
                    + String.join(",", nodes) + "]}}");
        }
        return "{\"trained_model\": {\"ensemble\": {\"feature_names\": " + featureList()
                + ", \"trained_models\": [" + String.join(",", trees) + "]}}}";
    }

    private static int esNode(SplittableRandom random, List<Double> thresholds, List<String> nodes, int depth,
            int level) {
        int index = nodes.size();
        nodes.add(null);
        if (depth == level || level > 0 && random.nextInt(5) == 0) {
            nodes.set(index, "{\"node_index\": " + index + ", \"leaf_value\": " + number(leaf(random)) + "}");
            return index;
        }
        int left = esNode(random, thresholds, nodes, depth, level + 1);
        int right = esNode(random, thresholds, nodes, depth, level + 1);
        String decision = List.of("lt", "lte", "gt", "gte").get(random.nextInt(4));
        nodes.set(index, "{\"node_index\": " + index + ", \"split_feature\": " + random.nextInt(FEATURES)
                + ", \"threshold\": " + number(threshold(random, thresholds)) + ", \"decision_type\": \"" + decision
                + "\", \"default_left\": " + random.nextBoolean() + ", \"left_child\": " + left
                + ", \"right_child\": " + right + "}");
        return index;
    }

    private static String featureList() {
        return IntStream.range(0, FEATURES).mapToObj(f -> "\"f" + f + "\"").toList().toString();
    }

    // --- XGBoost dump: x < t, float inputs and float sums, missing to yes or no.

    private static String dumpModel(SplittableRandom random, List<Double> thresholds) {
        var trees = new ArrayList<String>();
        int count = 1 + random.nextInt(12);
        for (int t = 0; t < count; t++) {
            int[] ids = {0};
            trees.add(dumpNode(random, thresholds, ids, random.nextInt(8), 0));
        }
        return "[" + String.join(",", trees) + "]";
    }

    private static String dumpNode(SplittableRandom random, List<Double> thresholds, int[] ids, int depth, int level) {
        int id = ids[0]++;
        if (depth == level || level > 0 && random.nextInt(5) == 0) {
            return "{\"nodeid\": " + id + ", \"leaf\": " + number((float) leaf(random)) + "}";
        }
        String yes = dumpNode(random, thresholds, ids, depth, level + 1);
        String no = dumpNode(random, thresholds, ids, depth, level + 1);
        int yesId = idOf(yes);
        int noId = idOf(no);
        return "{\"nodeid\": " + id + ", \"split\": \"f" + random.nextInt(FEATURES) + "\", \"split_condition\": "
                + number((float) threshold(random, thresholds)) + ", \"yes\": " + yesId + ", \"no\": " + noId
                + ", \"missing\": " + (random.nextBoolean() ? yesId : noId) + ", \"children\": [" + yes + ", " + no
                + "]}";
    }

    private static int idOf(String node) {
        int start = node.indexOf(':') + 1;
        return Integer.parseInt(node.substring(start, node.indexOf(',', start)).trim().replace("}", ""));
    }

    // --- LightGBM text: x <= t, missing types None / Zero / NaN, near-zero inputs read as zero.

    private static String lightGbmModel(SplittableRandom random, List<Double> thresholds) {
        var text = new StringBuilder("""
                tree
                version=v3
                num_class=1
                num_tree_per_iteration=1
                label_index=0
                max_feature_idx=%d
                objective=regression
                feature_names=%s
                feature_infos=%s
                tree_sizes=%s

                """.formatted(FEATURES - 1,
                String.join(" ", IntStream.range(0, FEATURES).mapToObj(f -> "f" + f).toList()),
                String.join(" ", IntStream.range(0, FEATURES).mapToObj(f -> "[-4:4]").toList()),
                "1"));
        int count = 1 + random.nextInt(12);
        for (int t = 0; t < count; t++) {
            var splits = new ArrayList<int[]>();
            var splitThresholds = new ArrayList<Double>();
            var leaves = new ArrayList<Double>();
            // Zero-as-missing splits are left to some trees only, so that both walks meet in one model.
            boolean zeroAllowed = random.nextInt(3) == 0;
            lightGbmNode(random, thresholds, splits, splitThresholds, leaves, 1 + random.nextInt(6), 0, zeroAllowed);
            text.append("Tree=").append(t).append('\n');
            text.append("num_leaves=").append(leaves.size()).append('\n');
            text.append("num_cat=0\n");
            if (!splits.isEmpty()) {
                text.append("split_feature=").append(join(splits, 0)).append('\n');
                text.append("split_gain=").append(join(splits, 5)).append('\n');
                text.append("threshold=").append(String.join(" ", splitThresholds.stream()
                        .map(BlockWalkPropertyTest::number).toList())).append('\n');
                text.append("decision_type=").append(join(splits, 1)).append('\n');
                text.append("left_child=").append(join(splits, 2)).append('\n');
                text.append("right_child=").append(join(splits, 3)).append('\n');
            }
            text.append("leaf_value=").append(String.join(" ", leaves.stream().map(BlockWalkPropertyTest::number)
                    .toList())).append('\n');
            text.append("leaf_weight=").append(ones(leaves.size())).append('\n');
            text.append("leaf_count=").append(ones(leaves.size())).append('\n');
            if (!splits.isEmpty()) {
                text.append("internal_value=").append(zeros(splits.size())).append('\n');
                text.append("internal_weight=").append(zeros(splits.size())).append('\n');
                text.append("internal_count=").append(ones(splits.size())).append('\n');
            }
            text.append("is_linear=0\nshrinkage=1\n\n\n");
        }
        text.append("end of trees\n");
        return text.toString();
    }

    /** Adds a subtree; returns its child reference (split index, or {@code ~leaf}). */
    private static int lightGbmNode(SplittableRandom random, List<Double> thresholds, List<int[]> splits,
            List<Double> splitThresholds, List<Double> leaves, int depth, int level, boolean zeroAllowed) {
        if (depth == level || level > 0 && random.nextInt(5) == 0) {
            leaves.add(leaf(random));
            return ~(leaves.size() - 1);
        }
        int index = splits.size();
        int[] split = new int[6];
        splits.add(split);
        splitThresholds.add(threshold(random, thresholds));
        int missingType = zeroAllowed ? random.nextInt(3) : random.nextBoolean() ? 0 : 2;
        split[0] = random.nextInt(FEATURES);
        split[1] = (random.nextBoolean() ? 2 : 0) | (missingType << 2);
        split[2] = lightGbmNode(random, thresholds, splits, splitThresholds, leaves, depth, level + 1, zeroAllowed);
        split[3] = lightGbmNode(random, thresholds, splits, splitThresholds, leaves, depth, level + 1, zeroAllowed);
        split[4] = index;
        split[5] = 1;
        return index;
    }

    private static String join(List<int[]> splits, int field) {
        return String.join(" ", splits.stream().map(s -> Integer.toString(s[field])).toList());
    }

    private static String ones(int n) {
        return String.join(" ", java.util.Collections.nCopies(n, "1"));
    }

    private static String zeros(int n) {
        return String.join(" ", java.util.Collections.nCopies(n, "0"));
    }
}
