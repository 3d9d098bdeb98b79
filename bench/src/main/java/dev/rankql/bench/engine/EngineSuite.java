package dev.rankql.bench.engine;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
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
        var config = EngineBench.Config.full();
        boolean quick = false;
        Integer docs = null;
        Integer rounds = null;
        Integer batch = null;
        Path outFile = null;
        for (int i = 0; i < args.length; i++) {
            var arg = args[i];
            try {
                switch (arg) {
                    case "-h", "--help" -> {
                        out.print(USAGE);
                        out.flush();
                        return 0;
                    }
                    case "--quick" -> quick = true;
                    case "--docs" -> docs = positive(arg, value(args, ++i, arg));
                    case "--rounds" -> rounds = positive(arg, value(args, ++i, arg));
                    case "--batch" -> batch = positive(arg, value(args, ++i, arg));
                    case "--out" -> outFile = Path.of(value(args, ++i, arg));
                    default -> throw new IllegalArgumentException((arg.startsWith("-") ? "Unknown option: '" : "Unmatched argument: '") + arg + "'");
                }
            } catch (IllegalArgumentException e) {
                err.println("rankql bench engine: " + e.getMessage());
                err.println("Try 'rankql bench engine --help' for more information.");
                err.flush();
                return 2;
            }
        }
        if (quick) {
            config = EngineBench.Config.quick();
        }
        config = new EngineBench.Config(Optional.ofNullable(docs).orElse(config.docs()),
                Optional.ofNullable(batch).orElse(config.batch()), config.queries(), Optional.ofNullable(rounds).orElse(config.rounds()),
                config.ingestWarmup(), config.searchWarmup(), config.passes(), config.seed(), config.mode());
        return execute(config, outFile != null ? outFile : defaultOut(), out, err);
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

    /**
     * {@code bench/results/<date>-engine.json} of the source tree the jar was built in ({@code bench/target/*.jar}),
     * else under the working directory.
     */
    static Path defaultOut() {
        var name = LocalDate.now(ZoneOffset.UTC) + "-engine.json";
        try {
            var jar = Path.of(EngineSuite.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            var target = jar.getParent();
            if (target != null && target.getFileName().toString().equals("target") && target.getParent() != null
                    && target.getParent().getFileName().toString().equals("bench")) {
                return target.getParent().resolve("results").resolve(name);
            }
        } catch (java.net.URISyntaxException | RuntimeException e) {
            // Fall back to the working directory.
        }
        return Path.of("bench", "results", name);
    }
}
