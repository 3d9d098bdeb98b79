package dev.rankql.bench.hybrid;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;

/**
 * {@code rankql bench hybrid [--docs N] [--dims N] [--queries N] [--rounds N]}: reads the options, runs
 * {@link HybridBench} in a scratch directory, prints the Markdown table and, as the last line of stdout, the JSON
 * result.
 */
public final class HybridSuite {

    static final String USAGE = """
            Usage: rankql bench hybrid [--docs N] [--dims N] [--queries N] [--rounds N]
            knn latency and recall at k = 10 and 100 through rankql against a raw Lucene KnnFloatVectorQuery, and an
            rrf retriever over a standard and a knn child against the sum of its children, in one JVM, interleaved.
              --docs N      random unit vectors indexed (default 100,000)
              --dims N      their dimensions (default 384)
              --queries N   measured queries per round (default 50)
              --rounds N    measured rounds (default 3)
            """;

    private HybridSuite() {}

    /** Runs with {@code args} (after the suite name); returns the exit code: 0, 1 for a failed run, 2 for bad usage. */
    public static int run(String[] args, PrintStream out, PrintStream err) throws IOException {
        var config = HybridBench.Config.quick();
        for (int i = 0; i < args.length; i++) {
            var arg = args[i];
            try {
                switch (arg) {
                    case "-h", "--help" -> {
                        out.print(USAGE);
                        out.flush();
                        return 0;
                    }
                    case "--docs" -> config = config.withDocs(positive(arg, value(args, ++i, arg)));
                    case "--dims" -> config = config.withDims(positive(arg, value(args, ++i, arg)));
                    case "--queries" -> config = config.withQueries(positive(arg, value(args, ++i, arg)));
                    case "--rounds" -> config = config.withRounds(positive(arg, value(args, ++i, arg)));
                    default -> throw new IllegalArgumentException(
                            (arg.startsWith("-") ? "Unknown option: '" : "Unmatched argument: '") + arg + "'");
                }
            } catch (IllegalArgumentException e) {
                err.println("rankql bench hybrid: " + e.getMessage());
                err.println("Try 'rankql bench hybrid --help' for more information.");
                err.flush();
                return 2;
            }
        }
        var work = Files.createTempDirectory("rankql-bench-hybrid");
        HybridBench.Result result;
        try {
            result = new HybridBench(config, err).run(work);
        } catch (IllegalStateException e) {
            err.println("rankql bench hybrid: " + e.getMessage());
            err.flush();
            return 1;
        } finally {
            dev.rankql.bench.engine.EngineBench.deleteRecursively(work);
        }
        out.println();
        out.print(result.toMarkdown());
        out.println();
        out.println(result.toJson());
        out.flush();
        return 0;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException("Missing required parameter for option '" + option + "'");
        }
        return args[i];
    }

    private static int positive(String option, String text) {
        try {
            int value = Integer.parseInt(text);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Reported below.
        }
        throw new IllegalArgumentException("Invalid value for option '" + option + "': '" + text + "' is not a positive integer");
    }
}
