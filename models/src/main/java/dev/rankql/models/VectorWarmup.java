package dev.rankql.models;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Compiles the vector walk on a background thread, on a synthetic model, so that models switch to it only once the
 * JIT's optimizing compiler has made it fast.
 *
 * <p>Until C2 has compiled {@link VectorWalk}, its vectors are boxed objects and the walk is many times slower than the
 * scalar block walk; a model that took it from its first call would make every short-lived command slow. The warm-up
 * scores blocks of several sizes through both walks, round after round, and declares the vector walk ready once it
 * takes clearly less CPU time than the scalar walk in {@link #FASTER_ROUNDS} rounds in a row. Until then, and for
 * ever if that never happens within {@link #BUDGET_NANOS}, models keep the scalar walk. Scores are identical either
 * way.
 */
final class VectorWarmup {

    /** How long the warm-up may try before giving up and leaving models on the scalar walk. */
    private static final long BUDGET_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** Consecutive rounds in which the vector walk must beat the scalar one by {@link #SPEED_UP}. */
    private static final int FASTER_ROUNDS = 20;
    /** The vector walk's CPU time, as a fraction of the scalar walk's, that counts as compiled. */
    private static final double SPEED_UP = 0.9;
    private static final int FEATURES = 8;
    private static final int[] SIZES = {128, 128, 64, 37, 16, 9};

    private static final AtomicBoolean STARTED = new AtomicBoolean();
    private static final CountDownLatch SETTLED = new CountDownLatch(1);
    private static volatile boolean ready;

    private VectorWarmup() {}

    /** Whether the vector walk has been compiled and models may take it. */
    static boolean ready() {
        return ready;
    }

    /** Starts the warm-up once per JVM (a daemon thread at minimum priority); later calls do nothing. */
    static void start() {
        if (STARTED.compareAndSet(false, true)) {
            Thread.ofPlatform().daemon().name("rankql-vector-warmup").priority(Thread.MIN_PRIORITY)
                    .start(VectorWarmup::run);
        }
    }

    /** Waits until the warm-up has decided (ready or given up), for tests that need a stable walk; false on timeout. */
    static boolean awaitSettled(long timeout, TimeUnit unit) throws InterruptedException {
        return !STARTED.get() || SETTLED.await(timeout, unit);
    }

    private static void run() {
        try {
            var synthetic = synthetic();
            var vector = synthetic.vectorWalk(true);
            var scalar = synthetic.vectorWalk(false);
            var threads = ManagementFactory.getThreadMXBean();
            var random = new SplittableRandom(7);
            float[] rows = new float[128 * FEATURES];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = random.nextInt(9) == 0 ? Float.NaN : (float) random.nextDouble(-2, 2);
            }
            double[] out = new double[128];
            long deadline = System.nanoTime() + BUDGET_NANOS;
            int faster = 0;
            while (System.nanoTime() < deadline) {
                long start = threads.getCurrentThreadCpuTime();
                score(vector, rows, out);
                long middle = threads.getCurrentThreadCpuTime();
                score(scalar, rows, out);
                long end = threads.getCurrentThreadCpuTime();
                faster = (middle - start) < SPEED_UP * (end - middle) ? faster + 1 : 0;
                if (faster == FASTER_ROUNDS) {
                    ready = true;
                    return;
                }
            }
        } catch (RuntimeException | LinkageError e) {
            // The scalar walk stays; it scores the same.
        } finally {
            SETTLED.countDown();
        }
    }

    private static void score(TreeEnsemble model, float[] rows, double[] out) {
        for (int repeat = 0; repeat < 4; repeat++) {
            for (int size : SIZES) {
                model.score(rows, 0, size, out, 0);
            }
        }
    }

    /** Complete trees of every depth from 1 to 8, so that every level kind of the walk gets compiled. */
    private static TreeEnsemble synthetic() {
        List<String> names = new ArrayList<>();
        for (int f = 0; f < FEATURES; f++) {
            names.add("f" + f);
        }
        var builder = new TreeEnsembleBuilder("warmup", names, true, Precision.FLOAT32);
        var random = new SplittableRandom(11);
        int index = 0;
        for (int round = 0; round < 3; round++) {
            for (int depth = 1; depth <= 8; depth++) {
                int nodes = (1 << (depth + 1)) - 1;
                var table = builder.addTree("$.warmup[" + index++ + "]", nodes, 1.0);
                int firstLeaf = (1 << depth) - 1;
                for (int i = 0; i < nodes; i++) {
                    if (i >= firstLeaf) {
                        table.leaf(i, random.nextDouble(-1, 1));
                    } else {
                        table.split(i, random.nextInt(FEATURES), Decision.LT, random.nextDouble(-1, 1), Missing.NAN,
                                random.nextBoolean(), 2 * i + 1, 2 * i + 2);
                    }
                }
            }
        }
        return builder.build(LoadOptions.DEFAULTS);
    }
}
