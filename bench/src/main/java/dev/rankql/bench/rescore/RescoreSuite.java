package dev.rankql.bench.rescore;

import dev.rankql.bench.BenchPaths;
import dev.rankql.bench.Options;
import dev.rankql.bench.engine.EngineBench;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code rankql bench rescore [--quick] [--docs N] [--rounds N] [--queries N] [--out FILE]}: reads the options, runs
 * {@link RescoreBench} in a scratch directory, writes the JSON result file, prints the Markdown table and, as the last
 * line of stdout, the JSON result.
 */
public final class RescoreSuite {

    static final String USAGE = """
            Usage: rankql bench rescore [--quick] [--docs N] [--rounds N] [--queries N] [--out FILE]
            The learning_to_rank rescore stage (20 features, 500 trees, windows 100 and 1000) through rankql
            against a hand-written Lucene loop and an Elasticsearch-style pipeline, in one JVM, interleaved.
              --quick       100,000 documents, 60 queries (default 1,000,000 and 200)
              --docs N      corpus size
              --rounds N    measured rounds (default 5)
              --queries N   measured queries per round
              --out FILE    the JSON result file (default bench/results/<date>-rescore.json)
            """;

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private RescoreSuite() {}

    /** Runs with {@code args} (after the suite name); returns the exit code: 0, 1 for a failed run, 2 for bad usage. */
    public static int run(String[] args, PrintStream out, PrintStream err) throws IOException {
        RescoreBench.Config config;
        Path outFile;
        try {
            var options = Options.parse(args, Set.of("--quick"), Set.of("--docs", "--rounds", "--queries", "--out"));
            if (options.help()) {
                out.print(USAGE);
                out.flush();
                return 0;
            }
            config = options.flag("--quick") ? RescoreBench.Config.quick() : RescoreBench.Config.full();
            config = config.with(options.positive("--docs").orElse(config.docs()),
                    options.positive("--rounds").orElse(config.rounds()), options.positive("--queries").orElse(config.queries()));
            outFile = options.path("--out").orElseGet(RescoreSuite::defaultOut);
        } catch (Options.UsageException e) {
            return Options.usageError("rankql bench rescore", e, err);
        }
        return execute(config, outFile, out, err);
    }

    /** Runs {@code config}, writes the JSON to {@code target} and prints the results; returns the exit code. */
    static int execute(RescoreBench.Config config, Path target, PrintStream out, PrintStream err) throws IOException {
        var work = Files.createTempDirectory("rankql-bench-rescore");
        RescoreBench.Result result;
        try {
            result = new RescoreBench(config, err).run(work);
        } catch (IllegalStateException e) {
            err.println("rankql bench rescore: " + e.getMessage());
            err.flush();
            return 1;
        } finally {
            EngineBench.deleteRecursively(work);
        }
        var parent = target.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(target, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(result.toJson()) + "\n",
                StandardCharsets.UTF_8);
        err.println("rescore bench: wrote " + target);
        err.flush();
        out.println();
        out.print(result.toMarkdown());
        out.println();
        out.println(MAPPER.writeValueAsString(result.toJson()));
        out.flush();
        return 0;
    }

    /** {@code bench/results/<date>-rescore.json} next to the engine suite's results. */
    static Path defaultOut() {
        return BenchPaths.result(LocalDate.now(ZoneOffset.UTC) + "-rescore.json");
    }
}
