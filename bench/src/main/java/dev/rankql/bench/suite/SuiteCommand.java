package dev.rankql.bench.suite;

import dev.rankql.bench.BenchPaths;
import dev.rankql.bench.Options;
import dev.rankql.bench.engine.EngineBench;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code rankql bench [--quick] [--docs N] [--rounds N] [--queries N] [--out FILE] [--cache DIR] [--corpus DIR]
 * [--no-jmh] [--train-queries N]}: the whole suite;
 * writes {@code bench/results/<date>.json} and {@code <date>.md}, prints the Markdown report and, as the last line of
 * stdout, the JSON result.
 */
public final class SuiteCommand {

    static final String USAGE = """
            Usage: rankql bench [--quick] [--docs N] [--rounds N] [--queries N] [--out FILE] [--cache DIR]
                                [--corpus DIR] [--no-jmh] [--train-queries N]
            The whole suite: every stage of an LTR query (first pass, features, model, sort, whole query, two-thread
            throughput, allocation, model load and memory, ingest) against its peers in the same JVM, interleaved.
              --quick       the goal configuration only (20 features, 500 trees of depth 6, windows 100 and 1000) on
                            100,000 documents: under 5 minutes on 2 cores (default: the full grid on 1,000,000)
              --docs N      corpus size
              --rounds N    measured rounds (default 3 quick, 5 full)
              --queries N   measured LTR queries per round (default 30 quick, 100 full)
              --out FILE    the JSON result (default bench/results/<date>.json; the Markdown goes beside it as .md)
              --cache DIR   where trained models and built indexes are kept between runs
                            (default bench/target/bench-cache)
              --corpus DIR  a directory of docs-*.jsonl files (title, content, price, popularity) instead of the
                            synthetic corpus, e.g. GCIDE + WordNet from bench/scripts/fetch-gcide-wordnet.sh; all of
                            its documents unless --docs is given (a prefix, or the files repeated)
              --no-jmh      leave out the model-only JMH figures (ns/tree/doc per shape, in forked JVMs)
              --train-queries N  training queries of the judgments (default 100 quick, 300 full; each gives
                            100 rows), e.g. fewer to try the whole grid quickly
            """;

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private SuiteCommand() {}

    /** Runs with {@code args}; returns the exit code: 0, 1 for a failed run (the gate included), 2 for bad usage. */
    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        SuiteBench.Config config;
        Path json;
        Path cache;
        Path corpus;
        try {
            var options = Options.parse(args, Set.of("--quick", "--no-jmh"),
                    Set.of("--docs", "--rounds", "--queries", "--out", "--cache", "--corpus", "--train-queries"));
            if (options.help()) {
                out.print(USAGE);
                out.flush();
                return 0;
            }
            config = options.flag("--quick") ? SuiteBench.Config.quick() : SuiteBench.Config.full();
            corpus = options.path("--corpus").orElse(null);
            int docs = config.docs();
            if (corpus != null) {
                try {
                    docs = CorpusFiles.count(corpus);
                } catch (java.io.IOException e) {
                    err.println("rankql bench: --corpus: " + e.getMessage());
                    err.flush();
                    return 2;
                }
            }
            config = config.with(options.positive("--docs").orElse(docs),
                    options.positive("--rounds").orElse(config.rounds()), options.positive("--queries").orElse(config.queries()));
            config = config.withTrainQueries(options.positive("--train-queries").orElse(config.trainQueries()));
            if (options.flag("--no-jmh")) {
                config = config.withJmh(null);
            }
            json = options.path("--out").orElseGet(() -> BenchPaths.result(LocalDate.now(ZoneOffset.UTC) + ".json"));
            cache = options.path("--cache").orElseGet(BenchPaths::cache);
        } catch (Options.UsageException e) {
            return Options.usageError("rankql bench", e, err);
        }
        return execute(config, cache, json, out, err, corpus);
    }

    /** Runs {@code config}, writes the JSON and Markdown files and prints the results; returns the exit code. */
    public static int execute(SuiteBench.Config config, Path cache, Path json, PrintStream out, PrintStream err)
            throws Exception {
        return execute(config, cache, json, out, err, null);
    }

    /** As above, on the corpus files in {@code corpus} when it is not null. */
    public static int execute(SuiteBench.Config config, Path cache, Path json, PrintStream out, PrintStream err, Path corpus)
            throws Exception {
        var work = Files.createTempDirectory("rankql-bench-suite");
        SuiteBench.Result result;
        try {
            result = new SuiteBench(config, cache, err, corpus).run(work);
        } catch (IllegalStateException e) {
            err.println("rankql bench: " + e.getMessage());
            err.flush();
            return 1;
        } finally {
            EngineBench.deleteRecursively(work);
        }
        var node = result.toJson();
        var markdown = result.toMarkdown();
        var parent = json.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        var name = json.getFileName().toString();
        var md = json.resolveSibling((name.endsWith(".json") ? name.substring(0, name.length() - 5) : name) + ".md");
        Files.writeString(json, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n", StandardCharsets.UTF_8);
        Files.writeString(md, markdown, StandardCharsets.UTF_8);
        err.println("bench: wrote " + json + " and " + md);
        err.flush();
        out.println();
        out.print(markdown);
        out.println();
        out.println(MAPPER.writeValueAsString(node));
        out.flush();
        return 0;
    }
}
