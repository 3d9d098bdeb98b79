package dev.rankql.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Block scoring allocates nothing per scored row, nor per call once the thread has scored a block: the bytes this
 * thread allocates while scoring 10 rows and 10,000 rows are both zero, for every kind of model and on every score
 * path, the engine's (float rows in slices of 512 at an offset) included.
 *
 * <p>The count comes from {@code ThreadMXBean#getCurrentThreadAllocatedBytes}, which counts only this thread's
 * allocations, so other threads, the JIT and the garbage collector do not disturb it. The scalar walks allocate
 * nothing in the interpreter either; the vector walk ({@link VectorWalk}) boxes its vectors until the JIT's optimizing
 * compiler has compiled it, so each path is first run until one call allocates nothing (or a bounded number of
 * times, after which the assertion reports what it still allocates). Each figure is the least of three attempts, and
 * a small allowance absorbs anything the measuring itself may allocate; an allocation per row (10,000 in a call) or
 * per call (100 in the batch of 10-row calls) is far above it.
 */
class NoAllocationPerRowTest {

    private static final int FEATURES = 20;
    /** Bytes a measured batch may allocate: less than one allocation per call of the batch. */
    private static final long ALLOWANCE = 256;
    /** The engine's slice size (LtrWindowRescorer.BLOCK). */
    private static final int ENGINE_SLICE = 512;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    static Stream<Arguments> models() {
        List<String> names = IntStream.range(0, FEATURES).mapToObj(f -> "f" + f).toList();
        return Stream.of(
                Arguments.of("float trees, block walk", trees(names, Precision.FLOAT32, false, false)),
                Arguments.of("double trees, block walk", trees(names, Precision.FLOAT64, false, false)),
                Arguments.of("float trees, vector walk", new Built(((TreeEnsemble) trees(names, Precision.FLOAT32, false,
                        false).model()).vectorWalk(true), null)),
                Arguments.of("trees, zero-as-missing splits (general walk)",
                        trees(names, Precision.FLOAT64, true, false)),
                Arguments.of("trees, categorical splits (general walk)", trees(names, Precision.FLOAT32, false, true)),
                Arguments.of("trees, missing as zero", trees(names, Precision.FLOAT32, false, false)
                        .rebound(LoadOptions.DEFAULTS.missingAsZero(true))),
                Arguments.of("float linear", linear(names, Precision.FLOAT32)),
                Arguments.of("double linear", linear(names, Precision.FLOAT64)),
                Arguments.of("neural network", network(names)));
    }

    /** A model, and how to rebuild it with other load options (trees only). */
    record Built(Model model, TreeEnsembleBuilder builder) {
        Built rebound(LoadOptions options) {
            return new Built(builder.build(options), builder);
        }

        @Override
        public String toString() {
            return model.format();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void scoringAllocatesNothingPerRow(String name, Built built) {
        assertThat(THREADS.isThreadAllocatedMemorySupported() && THREADS.isThreadAllocatedMemoryEnabled())
                .as("this JVM counts the bytes each thread allocates").isTrue();
        Model model = built.model();
        var random = new SplittableRandom(3);
        int most = 10_000;
        double[] doubles = new double[most * FEATURES];
        float[] floats = new float[most * FEATURES];
        for (int i = 0; i < doubles.length; i++) {
            doubles[i] = random.nextInt(8) == 0 ? Double.NaN : random.nextInt(6) - 1 + random.nextDouble();
            floats[i] = (float) doubles[i];
        }
        double[] out = new double[most];

        for (int rows : new int[] {10, most}) {
            // One call of 10,000 rows shows an allocation per row; 100 calls of 10 rows one per call.
            int calls = rows == most ? 1 : 100;
            Runnable doubleRows = () -> model.score(doubles, 0, rows, out, 0);
            Runnable floatRows = () -> model.score(floats, 0, rows, out, 0);
            Runnable engine = () -> {
                for (int first = 0; first < rows; first += ENGINE_SLICE) {
                    model.score(floats, first, Math.min(ENGINE_SLICE, rows - first), out, first);
                }
            };
            Runnable offset = () -> model.score(doubles, 3, rows - 3, out, 2);
            for (Runnable path : List.of(doubleRows, floatRows, engine, offset)) {
                warm(path);
            }
            assertThat(allocated(doubleRows, calls)).as("%d double rows", rows).isLessThanOrEqualTo(ALLOWANCE);
            assertThat(allocated(floatRows, calls)).as("%d float rows", rows).isLessThanOrEqualTo(ALLOWANCE);
            assertThat(allocated(engine, calls)).as("%d float rows in engine slices", rows)
                    .isLessThanOrEqualTo(ALLOWANCE);
            assertThat(allocated(offset, calls)).as("%d rows at an offset", rows).isLessThanOrEqualTo(ALLOWANCE);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void theMeasureSeesAnAllocationPerRow(String name, Built built) {
        Model model = built.model();
        double[] rows = new double[100 * FEATURES];
        // The same scoring with one small array per row must show: the measure is not blind.
        Runnable perRow = () -> {
            for (int r = 0; r < 100; r++) {
                model.score(java.util.Arrays.copyOfRange(rows, r * FEATURES, (r + 1) * FEATURES));
            }
        };
        perRow.run();
        assertThat(allocated(perRow, 10)).isGreaterThan(100L * 10 * FEATURES * Double.BYTES);
    }

    /**
     * Runs {@code path} until a run allocates nothing beyond the allowance, at most 300 times, once the background
     * vector warm-up has settled (models on the default mode switch walks when it does).
     */
    private static void warm(Runnable path) {
        try {
            assertThat(VectorWarmup.awaitSettled(2, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        for (int i = 0; i < 300; i++) {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            path.run();
            if (THREADS.getCurrentThreadAllocatedBytes() - before <= ALLOWANCE) {
                return;
            }
        }
    }

    /** The bytes this thread allocates running {@code path} {@code calls} times: the least of three attempts. */
    private static long allocated(Runnable path, int calls) {
        long least = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 3; attempt++) {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < calls; i++) {
                path.run();
            }
            least = Math.min(least, THREADS.getCurrentThreadAllocatedBytes() - before);
        }
        return least;
    }

    /** 20 random trees of depth 6 over the features. */
    private static Built trees(List<String> names, Precision precision, boolean zeroMissing, boolean categorical) {
        var random = new SplittableRandom(precision.ordinal() * 31L + (zeroMissing ? 7 : 0) + (categorical ? 13 : 0));
        var builder = new TreeEnsembleBuilder(categorical ? "categorical" : "trees", names, true, precision)
                .baseScore(0.5);
        for (int t = 0; t < 20; t++) {
            int depth = 6;
            int nodes = (1 << (depth + 1)) - 1;
            var table = builder.addTree("$.trees[" + t + "]", nodes, 1.0);
            for (int i = 0; i < nodes; i++) {
                if (2 * i + 1 >= nodes) {
                    table.leaf(i, random.nextDouble(-1, 1));
                } else if (categorical && random.nextInt(4) == 0) {
                    table.categorical(i, random.nextInt(FEATURES), Decision.IN, new int[] {0, 2, 3},
                            random.nextBoolean(), false, 2 * i + 1, 2 * i + 2);
                } else {
                    Missing missing = zeroMissing && random.nextInt(3) == 0 ? Missing.ZERO_OR_NAN : Missing.NAN;
                    table.split(i, random.nextInt(FEATURES), Decision.LT, random.nextInt(5) - 1 + random.nextDouble(),
                            missing, random.nextBoolean(), 2 * i + 1, 2 * i + 2);
                }
            }
        }
        return new Built(builder.build(LoadOptions.DEFAULTS), builder);
    }

    private static Built linear(List<String> names, Precision precision) {
        double[] weights = new double[names.size()];
        for (int f = 0; f < weights.length; f++) {
            weights[f] = f - 7.5;
        }
        return new Built(new LinearModel("linear", names, weights, 0.25, precision), null);
    }

    private static Built network(List<String> names) {
        int hidden = 12;
        float[] first = new float[hidden * FEATURES];
        for (int i = 0; i < first.length; i++) {
            first[i] = (i % 7 - 3) / 10f;
        }
        var layers = new ArrayList<NeuralNetworkModel.Layer>();
        layers.add(new NeuralNetworkModel.Layer(hidden, FEATURES, first, new float[hidden],
                NeuralNetworkModel.Activation.RELU));
        float[] last = new float[hidden];
        java.util.Arrays.fill(last, 0.5f);
        layers.add(new NeuralNetworkModel.Layer(1, hidden, last, new float[] {0.1f},
                NeuralNetworkModel.Activation.IDENTITY));
        return new Built(new NeuralNetworkModel("network", names, IntStream.range(0, FEATURES).toArray(), layers,
                null, null), null);
    }
}
