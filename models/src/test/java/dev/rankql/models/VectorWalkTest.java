package dev.rankql.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The complete-tree layout, its vector walk and its scalar remainder score every row exactly as the general walk
 * does: complete trees of every depth from 1 to 10, unbalanced trees, single leaves, chains too deep to be laid out
 * complete, category splits mixed in, both default sides, on rows full of NaN, infinities, signed zeros and values
 * at and next to the thresholds, in blocks of every awkward size, with the vector walk on and off.
 */
class VectorWalkTest {

    private static final int FEATURES = 9;
    private static final double[] THRESHOLDS = {-2.5, -1.0, -0.0, 0.0, 1e-36, 0.1f, 0.1, 0.5, 1.0, 3.25, 1e30};
    private static final int[] SIZES = {1, 7, 8, 9, 15, 16, 17, 31, 33, 63, 64, 65, 127, 128, 129, 200, 1000};

    @Test
    void theVectorWalkIsOnInTheseTests() {
        // Surefire starts the JVM with --add-modules jdk.incubator.vector; without it the scalar walk would be tested
        // twice and the vector walk never.
        assertThat(ModuleLayer.boot().findModule("jdk.incubator.vector")).isPresent();
        assertThat(FastTrees.VECTOR_AVAILABLE).as("vector walk usable (needs 8 int lanes)").isTrue();
    }

    @Test
    void aDefaultModelTakesTheVectorWalkOnceTheWarmUpHasCompiledIt() throws Exception {
        var random = new SplittableRandom(3);
        var names = java.util.stream.IntStream.range(0, FEATURES).mapToObj(f -> "f" + f).toList();
        var builder = new TreeEnsembleBuilder("trees", names, true, Precision.FLOAT32);
        addTree(builder, random, 6, 1.0, false, 0);
        TreeEnsemble model = builder.build(LoadOptions.DEFAULTS);
        // Building a laid-out model in the default mode starts the warm-up; it settles within its 30-second budget.
        assertThat(VectorWarmup.awaitSettled(2, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
        assertThat(model.usesVectorWalk()).isEqualTo(VectorWarmup.ready());
        assertThat(model.vectorWalk(false).usesVectorWalk()).isFalse();
        assertThat(model.scalarOnly().usesVectorWalk()).isFalse();
        compare(model, model.scalarOnly(), random);
    }

    @Test
    void keysOrderLikeFloats() {
        float[] values = {Float.NEGATIVE_INFINITY, -Float.MAX_VALUE, -1.5f, -Float.MIN_VALUE, -0.0f, 0.0f,
            Float.MIN_VALUE, Float.MIN_NORMAL, 0.1f, 1.0f, Math.nextUp(1.0f), Float.MAX_VALUE, Float.POSITIVE_INFINITY};
        for (float a : values) {
            for (float b : values) {
                assertThat(FastTrees.key(a) > FastTrees.key(b)).as("%s > %s", a, b).isEqualTo(a > b);
            }
            assertThat(FastTrees.key(Float.NaN) > FastTrees.key(a)).as("NaN > %s", a).isFalse();
            assertThat(FastTrees.key(Float.intBitsToFloat(0xffc00001)) > FastTrees.key(a)).isFalse();
        }
    }

    static Stream<Arguments> models() {
        return IntStream.range(0, 6).mapToObj(seed -> Arguments.of(seed, switch (seed % 3) {
            case 0 -> Precision.FLOAT32;
            case 1 -> Precision.FLOAT64;
            default -> seed % 2 == 0 ? Precision.FLOAT32 : Precision.FLOAT64;
        }));
    }

    @ParameterizedTest(name = "seed {0} {1}")
    @MethodSource("models")
    void everyBlockSizeGivesTheGeneralWalksScores(int seed, Precision precision) {
        var random = new SplittableRandom(seed * 104729L + 5);
        List<String> names = IntStream.range(0, FEATURES).mapToObj(f -> "f" + f).toList();
        var builder = new TreeEnsembleBuilder("trees", names, true, precision).baseScore(0.25)
                .roundInputsToFloat(precision == Precision.FLOAT32);
        int categoricalTrees = 0;
        int trees = 0;
        for (int depth = 1; depth <= 10; depth++) {
            addTree(builder, random, depth, 1.0, false, trees++);
        }
        for (int t = 0; t < 12; t++) {
            // Unbalanced: each split becomes a leaf with probability 0.3.
            addTree(builder, random, 1 + random.nextInt(8), 0.7, false, trees++);
        }
        addTree(builder, random, 0, 1.0, false, trees++);
        addTree(builder, random, 14, 0.0, false, trees++);
        addTree(builder, random, 5, 1.0, true, trees++);
        categoricalTrees++;
        TreeEnsemble built = builder.build(LoadOptions.DEFAULTS);
        TreeEnsemble general = built.scalarOnly();
        assertThat(built.blockWalkTrees()).isEqualTo(trees - categoricalTrees);
        for (TreeEnsemble model : List.of(built.vectorWalk(true), built.vectorWalk(false))) {
            compare(model, general, random);
        }
        assertThat(built.vectorWalk(true).usesVectorWalk()).isTrue();
        assertThat(built.vectorWalk(false).usesVectorWalk()).isFalse();
    }

    private static void compare(TreeEnsemble model, TreeEnsemble general, SplittableRandom random) {
        int most = 1000;
        double[] rows = new double[(most + 5) * FEATURES];
        float[] floats = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = value(random);
            floats[i] = (float) rows[i];
        }
        for (int size : SIZES) {
            for (int first : new int[] {0, 3}) {
                double[] expected = new double[size + 2];
                double[] actual = new double[size + 2];
                general.score(rows, first, size, expected, 2);
                model.score(rows, first, size, actual, 2);
                assertThat(actual).as("double rows, %d from %d", size, first).isEqualTo(expected);
                general.score(floats, first, size, expected, 2);
                model.score(floats, first, size, actual, 2);
                assertThat(actual).as("float rows, %d from %d", size, first).isEqualTo(expected);
            }
        }
        double[] all = new double[most];
        model.score(rows, 0, most, all, 0);
        for (int r = 0; r < most; r += 37) {
            double[] row = java.util.Arrays.copyOfRange(rows, r * FEATURES, (r + 1) * FEATURES);
            assertThat(all[r]).as("row %d alone", r).isEqualTo(model.score(row));
        }
    }

    private static double value(SplittableRandom random) {
        double t = THRESHOLDS[random.nextInt(THRESHOLDS.length)];
        return switch (random.nextInt(9)) {
            case 0 -> Double.NaN;
            case 1 -> random.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            case 2 -> Math.nextUp(t);
            case 3 -> Math.nextDown(t);
            case 4 -> Math.nextUp((float) t);
            case 5 -> random.nextDouble(-3, 3);
            default -> t;
        };
    }

    /**
     * A tree whose splits reach {@code depth} levels; below the root a split becomes a leaf with probability
     * {@code 1 - fullness} (0 makes a chain: one side of each split is a leaf).
     */
    private static void addTree(TreeEnsembleBuilder builder, SplittableRandom random, int depth, double fullness,
            boolean categorical, int index) {
        var shape = new ArrayList<int[]>();
        grow(shape, random, 0, depth, fullness);
        var table = builder.addTree("$.trees[" + index + "]", shape.size(), 1.0);
        for (int i = 0; i < shape.size(); i++) {
            int[] node = shape.get(i);
            if (node[0] < 0) {
                table.leaf(i, random.nextInt(1000) / 64.0 - 7);
                continue;
            }
            int feature = random.nextInt(FEATURES);
            boolean missingLeft = random.nextBoolean();
            if (categorical && random.nextBoolean()) {
                table.categorical(i, feature, Decision.IN, new int[] {0, 1, 3}, missingLeft, false, node[0], node[1]);
                continue;
            }
            Decision decision = Decision.values()[random.nextInt(4)];
            double threshold = THRESHOLDS[random.nextInt(THRESHOLDS.length)];
            table.split(i, feature, decision, threshold, Missing.NAN, missingLeft, node[0], node[1]);
        }
    }

    /** Adds a node and its subtree; returns its position. A leaf is {@code {-1}}, a split its two children. */
    private static int grow(List<int[]> shape, SplittableRandom random, int level, int depth, double fullness) {
        int here = shape.size();
        boolean split = level < depth && (level == 0 || random.nextDouble() < fullness);
        if (fullness == 0.0 && level < depth) {
            // The chain: the right child continues, the left is a leaf.
            int[] node = {0, 0};
            shape.add(node);
            node[0] = grow(shape, random, depth, depth, fullness);
            node[1] = grow(shape, random, level + 1, depth, fullness);
            return here;
        }
        if (!split) {
            shape.add(new int[] {-1});
            return here;
        }
        int[] node = {0, 0};
        shape.add(node);
        node[0] = grow(shape, random, level + 1, depth, fullness);
        node[1] = grow(shape, random, level + 1, depth, fullness);
        return here;
    }
}
