package dev.rankql.bench.suite;

import dev.rankql.bench.models.ModelBench;
import dev.rankql.bench.models.ReferenceModels;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The model-only figures of the suite: the models suite's JMH benchmark ({@link ModelBench}) run through JMH's Runner
 * API for each tree shape, rankql's walk, xgboost4j {@code inplace_predict} and lightgbmlib each in its own forked JVM,
 * the order of the three rotating from shape to shape; reported as nanoseconds per tree per document.
 */
public final class ModelJmh {

    /** The sides, as ModelBench's method names, and their keys in the result. */
    static final List<String> METHODS = List.of("rankqlBlockWalk", "xgboostInplacePredict", "lightgbm");

    static final List<String> KEYS = List.of("rankql", "xgboost", "lightgbm");

    /** Documents per call: the goal window. */
    static final int DOCS = 1000;

    /**
     * How long JMH runs each side of each shape.
     *
     * @param forks forked JVMs per side and shape
     * @param warmupIterations warm-up iterations per fork
     * @param warmupSeconds seconds per warm-up iteration (the vector walk switches on about 2 s after the first call)
     * @param iterations measured iterations per fork
     * @param seconds seconds per measured iteration
     */
    public record Budget(int forks, int warmupIterations, int warmupSeconds, int iterations, int seconds) {
        public Budget {
            if (forks < 1 || warmupIterations < 0 || warmupSeconds < 1 || iterations < 1 || seconds < 1) {
                throw new IllegalArgumentException("a JMH budget needs forks, iterations and seconds");
            }
        }

        /** The quick mode's: one fork, 2 warm-up iterations of 2 s, 3 measured of 1 s (about 12 s per side). */
        public static final Budget QUICK = new Budget(1, 2, 2, 3, 1);

        /** The full run's: the same per side, over every shape (27 forks, about 6 minutes). */
        public static final Budget FULL = QUICK;

        /** Seconds of measuring and warming one side, without the fork's start and set-up. */
        int totalSeconds() {
            return forks * (warmupIterations * warmupSeconds + iterations * seconds);
        }

        String describe() {
            return String.format(Locale.ROOT, "%d fork%s, %d × %d s warm-up, %d × %d s measured, per side and shape", forks,
                    forks == 1 ? "" : "s", warmupIterations, warmupSeconds, iterations, seconds);
        }
    }

    private ModelJmh() {}

    /** JMH's options for one side of one shape. */
    static Options options(SuiteBench.Shape shape, String method, Budget budget) {
        return new OptionsBuilder()
                .include("^" + java.util.regex.Pattern.quote(ModelBench.class.getName() + "." + method) + "$")
                .param("trees", Integer.toString(shape.trees()))
                .param("depth", Integer.toString(shape.depth()))
                .param("docs", Integer.toString(DOCS))
                .forks(budget.forks())
                .warmupIterations(budget.warmupIterations())
                .warmupTime(TimeValue.seconds(budget.warmupSeconds()))
                .measurementIterations(budget.iterations())
                .measurementTime(TimeValue.seconds(budget.seconds()))
                .shouldFailOnError(true)
                .build();
    }

    /**
     * Runs every side of every tree shape of {@code shapes} and returns, per shape key, the ns/tree/doc of each side with
     * JMH's 99.9 % error, and rankql's ratios to the two peers; progress (one line per shape) goes to {@code progress}.
     */
    static ObjectNode run(List<SuiteBench.Shape> shapes, Budget budget, PrintStream progress) throws RunnerException {
        var result = JsonNodeFactory.instance.objectNode();
        var settings = result.putObject("settings");
        settings.put("budget", budget.describe());
        settings.put("docs_per_call", DOCS);
        settings.put("features", ReferenceModels.FEATURES);
        settings.put("benchmark", ModelBench.class.getName());
        var output = OutputFormatFactory.createFormatInstance(progress, VerboseMode.SILENT);
        int index = 0;
        for (var shape : shapes) {
            if (shape.linear()) {
                continue;
            }
            var node = result.putObject(shape.key());
            var nsPerTreeDoc = new double[METHODS.size()];
            for (int step = 0; step < METHODS.size(); step++) {
                int side = (index + step) % METHODS.size();
                long start = System.nanoTime();
                var runs = new Runner(options(shape, METHODS.get(side), budget), output).run();
                RunResult run = runs.stream().findFirst()
                        .orElseThrow(() -> new IllegalStateException("JMH returned no result for " + METHODS.get(side)));
                var primary = run.getPrimaryResult();
                double perTreeDoc = (double) shape.trees() * DOCS;
                nsPerTreeDoc[side] = primary.getScore() / perTreeDoc;
                node.put(KEYS.get(side) + "_ns_per_tree_doc", round(nsPerTreeDoc[side]));
                double error = primary.getScoreError();
                node.put(KEYS.get(side) + "_error", Double.isFinite(error) ? round(error / perTreeDoc) : Double.NaN);
                progress.printf(Locale.ROOT, "bench: JMH %s %-22s %8.3f ns/tree/doc (%.1f s)%n", shape.key(), METHODS.get(side),
                        nsPerTreeDoc[side], (System.nanoTime() - start) / 1e9);
            }
            node.put("vs_xgboost", round(nsPerTreeDoc[0] / nsPerTreeDoc[1]));
            node.put("vs_lightgbm", round(nsPerTreeDoc[0] / nsPerTreeDoc[2]));
            index++;
        }
        return result;
    }

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
