package dev.rankql.bench.hybrid;

import dev.rankql.bench.Options;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.Set;

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
        try {
            var options = Options.parse(args, Set.of(), Set.of("--docs", "--dims", "--queries", "--rounds"));
            if (options.help()) {
                out.print(USAGE);
                out.flush();
                return 0;
            }
            config = config.withDocs(options.positive("--docs").orElse(config.docs()))
                    .withDims(options.positive("--dims").orElse(config.dims()))
                    .withQueries(options.positive("--queries").orElse(config.queries()))
                    .withRounds(options.positive("--rounds").orElse(config.rounds()));
        } catch (Options.UsageException e) {
            return Options.usageError("rankql bench hybrid", e, err);
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
}
