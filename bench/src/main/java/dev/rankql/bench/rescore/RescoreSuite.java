package dev.rankql.bench.rescore;

import dev.rankql.bench.engine.EngineBench;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
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
        boolean quick = false;
        Integer docs = null;
        Integer rounds = null;
        Integer queries = null;
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
                    case "--queries" -> queries = positive(arg, value(args, ++i, arg));
                    case "--out" -> outFile = Path.of(value(args, ++i, arg));
                    default -> throw new IllegalArgumentException(
                            (arg.startsWith("-") ? "Unknown option: '" : "Unmatched argument: '") + arg + "'");
                }
            } catch (IllegalArgumentException e) {
                err.println("rankql bench rescore: " + e.getMessage());
                err.println("Try 'rankql bench rescore --help' for more information.");
                err.flush();
                return 2;
            }
        }
        var config = quick ? RescoreBench.Config.quick() : RescoreBench.Config.full();
        config = config.with(docs != null ? docs : config.docs(), rounds != null ? rounds : config.rounds(),
                queries != null ? queries : config.queries());
        return execute(config, outFile != null ? outFile : defaultOut(), out, err);
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

    /** {@code bench/results/<date>-rescore.json} next to the engine suite's results. */
    static Path defaultOut() {
        var engine = dev.rankql.bench.engine.EngineSuite.class;
        var name = LocalDate.now(ZoneOffset.UTC) + "-rescore.json";
        try {
            var jar = Path.of(engine.getProtectionDomain().getCodeSource().getLocation().toURI());
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
