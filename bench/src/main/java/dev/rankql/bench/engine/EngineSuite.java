package dev.rankql.bench.engine;

import dev.rankql.bench.BenchPaths;
import dev.rankql.bench.Options;
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
 * {@code rankql bench engine [--quick] [--docs N] [--rounds N] [--batch N] [--out FILE]}: reads the options, runs
 * {@link EngineBench} in a scratch directory, writes the JSON result file, prints the Markdown table and, as the last
 * line of stdout, the JSON result.
 */
public final class EngineSuite {

    static final String USAGE = """
            Usage: rankql bench engine [--quick] [--docs N] [--rounds N] [--batch N] [--out FILE]
            Ingest and first-pass search through rankql against raw Lucene, in one JVM, interleaved round by round.
              --quick       100,000 documents (default 1,000,000)
              --docs N      corpus size
              --rounds N    measured rounds of each benchmark (default 5)
              --batch N     documents per ingest request and per raw Lucene commit (default 10,000)
              --out FILE    the JSON result file (default bench/results/<date>-engine.json)
            """;

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private EngineSuite() {}

    /** Runs with {@code args} (after the suite name); returns the exit code: 0, 1 for a failed run, 2 for bad usage. */
    public static int run(String[] args, PrintStream out, PrintStream err) throws IOException {
        EngineBench.Config config;
        Path outFile;
        try {
            var options = Options.parse(args, Set.of("--quick"), Set.of("--docs", "--rounds", "--batch", "--out"));
            if (options.help()) {
                out.print(USAGE);
                out.flush();
                return 0;
            }
            config = options.flag("--quick") ? EngineBench.Config.quick() : EngineBench.Config.full();
            config = new EngineBench.Config(options.positive("--docs").orElse(config.docs()),
                    options.positive("--batch").orElse(config.batch()), config.queries(),
                    options.positive("--rounds").orElse(config.rounds()), config.ingestWarmup(), config.searchWarmup(),
                    config.passes(), config.seed(), config.mode());
            outFile = options.path("--out").orElseGet(EngineSuite::defaultOut);
        } catch (Options.UsageException e) {
            return Options.usageError("rankql bench engine", e, err);
        }
        return execute(config, outFile, out, err);
    }

    /** Runs {@code config}, writes the JSON to {@code target} and prints the results; returns the exit code. */
    static int execute(EngineBench.Config config, Path target, PrintStream out, PrintStream err) throws IOException {
        var work = Files.createTempDirectory("rankql-bench-engine");
        EngineBench.Result result;
        try {
            result = new EngineBench(config, err).run(work);
        } catch (IllegalStateException e) {
            err.println("rankql bench engine: " + e.getMessage());
            err.flush();
            return 1;
        } finally {
            EngineBench.deleteRecursively(work);
        }
        var json = MAPPER.writeValueAsString(result.toJson());
        var parent = target.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(target, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(result.toJson()) + "\n",
                StandardCharsets.UTF_8);
        err.println("engine bench: wrote " + target);
        err.flush();
        out.println();
        out.print(result.toMarkdown());
        out.println();
        out.println(json);
        out.flush();
        return 0;
    }

    /**
     * {@code bench/results/<date>-engine.json} of the source tree the jar was built in ({@code bench/target/*.jar}),
     * else under the working directory.
     */
    static Path defaultOut() {
        return BenchPaths.result(LocalDate.now(ZoneOffset.UTC) + "-engine.json");
    }
}
