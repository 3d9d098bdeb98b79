package dev.rankql.bench;

import dev.rankql.bench.engine.EngineSuite;
import dev.rankql.bench.suite.SuiteCommand;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;

/**
 * The entry point of {@code rankql bench}: runs the whole suite when no suite is named, else picks a suite and hands
 * it to JMH in forked JVMs, or runs one of the in-process harnesses.
 */
public final class Main {

    /** The suites, by name, and the JMH benchmark class pattern each runs. */
    static final Map<String, String> SUITES = Map.of("language", LanguageBench.class.getName(),
            "models", dev.rankql.bench.models.ModelBench.class.getName(),
            "embed", dev.rankql.bench.embed.EmbedBench.class.getName());

    static final String USAGE = """
            Usage: rankql bench [--quick] [--docs N] [--rounds N] [--queries N] [--out FILE] [--cache DIR]
                   rankql bench [-h] SUITE [JMH options...]
                   rankql bench engine [--quick] [--docs N] [--rounds N] [--batch N] [--out FILE]
                   rankql bench rescore [--quick] [--docs N] [--rounds N] [--queries N] [--out FILE]
                   rankql bench http [--docs N] [--seconds S] [--clients 1,8,64] [--out FILE]
                   rankql bench hybrid [--docs N] [--dims N] [--queries N] [--rounds N]
                   rankql bench soak [--seconds N] [--searchers N] [--out FILE]
                   rankql bench jmh [JMH options...]
                   rankql bench gcide-wordnet RAW OUT
            Benchmarks for rankql; results go to stdout.
            Without a suite name, the whole suite runs: every stage of an LTR query (first pass, features,
            model, sort, the whole query, two-thread throughput, allocation, model load and memory, ingest)
            against its peers (raw Lucene, a hand-written feature loop, xgboost4j and lightgbmlib on one
            thread, Elasticsearch- and Solr-style pipelines) in one JVM, interleaved, after a correctness
            gate; it writes bench/results/<date>.json and .md, and the last stdout line is JSON with the
            goal ratios (rankql bench suite --help). --quick measures the goal configuration (20 features,
            500 trees of depth 6, windows 100 and 1000) on 100,000 documents in under 5 minutes.
            Suites:
              suite      the whole suite, as above
              language   parse and print throughput of the DSL and Elasticsearch JSON on one core,
                         for a typical 2 KB LTR request (LanguageBench, JMH in a forked JVM)
              engine     ingest docs/s and first-pass latency through rankql against raw Lucene on a
                         synthetic Zipf corpus, in-process, interleaved; the last stdout line is JSON
                         (rankql bench engine --help)
              rescore    the learning_to_rank rescore stage (20 features, 500 trees, windows 100 and
                         1000) against a hand-written Lucene loop and an Elasticsearch-style pipeline,
                         in-process, interleaved; the last stdout line is JSON (rankql bench rescore --help)
              models     LTR tree evaluation and model load time against xgboost4j, lightgbmlib and an
                         object-node walker (ModelBench, ModelBenchLoad)
              embed      time to encode a query and an abstract with bge-small-en-v1.5 through rankql embed's
                         encoder against LangChain4j's wrapper of the same model (EmbedBench, JMH)
              http       _search over HTTP (rankql serve) against the Java API with 1, 8 and 64
                         concurrent keep-alive clients: throughput, p50/p99 and the overhead per
                         request; the last stdout line is JSON (rankql bench http --help)
              hybrid     knn latency and recall (k = 10, 100) through rankql against a raw Lucene
                         KnnFloatVectorQuery on 100k random 384-dim vectors, and rrf over standard + knn
                         against the sum of its children, in-process, interleaved (rankql bench hybrid --help)
              soak       concurrent searches (LTR included), ingest, refreshes and model replacement
                         for N seconds, every answer checked; zero errors expected, heap slope
                         reported (rankql bench soak --help)
              jmh        JMH's own command line, e.g. -l to list every benchmark
              gcide-wordnet  converts the unpacked Debian packages dict-gcide and wordnet-base into
                         corpus files for rankql bench --corpus (bench/scripts/fetch-gcide-wordnet.sh)
              -h, --help   Show this help message and exit.

            Examples:
              rankql bench --quick                  the goal configuration, 100k documents, < 5 minutes
              rankql bench                          the full grid on 1M documents (hours)
              rankql bench language
              rankql bench language -wi 1 -i 3      fewer warm-up and measured iterations
              rankql bench engine --quick           100k documents, a few minutes
              rankql bench rescore --quick          100k documents, under 10 minutes
              rankql bench models -p docs=1000      tree evaluation at 1000 documents
              rankql bench embed
              rankql bench http --seconds 5
              rankql bench soak --seconds 60
              rankql bench jmh -l
            """;

    private Main() {}

    public static void main(String[] args) throws Exception {
        int status = run(args, System.out, System.err);
        if (status >= 0) {
            System.exit(status);
        }
    }

    /**
     * Runs with {@code args}, writing to the given streams, and returns the exit code: 0, 1 for a failed run, 2 for
     * bad usage, or -1 when JMH ran and exits the JVM itself.
     */
    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        if (args.length > 0 && (args[0].equals("-h") || args[0].equals("--help"))) {
            if (args.length > 1) {
                return usageError("Unmatched argument", args[1], err);
            }
            out.print(USAGE);
            out.flush();
            return 0;
        }
        if (args.length == 0 || args[0].startsWith("-")) {
            // No suite name: the whole suite, with its own options (and its own messages for bad ones).
            return SuiteCommand.run(args, out, err);
        }
        var rest = Arrays.copyOfRange(args, 1, args.length);
        if (args[0].equals("suite")) {
            return SuiteCommand.run(rest, out, err);
        }
        if (args[0].equals("gcide-wordnet")) {
            return dev.rankql.bench.suite.GcideWordnet.run(rest, out, err);
        }
        if (args[0].equals("engine")) {
            return EngineSuite.run(rest, out, err);
        }
        if (args[0].equals("rescore")) {
            return dev.rankql.bench.rescore.RescoreSuite.run(rest, out, err);
        }
        if (args[0].equals("http")) {
            return dev.rankql.bench.http.HttpSuite.run(rest, out, err);
        }
        if (args[0].equals("hybrid")) {
            return dev.rankql.bench.hybrid.HybridSuite.run(rest, out, err);
        }
        if (args[0].equals("soak")) {
            return dev.rankql.bench.soak.SoakSuite.run(rest, out, err);
        }
        if (args[0].equals("jmh")) {
            org.openjdk.jmh.Main.main(rest);
            return -1;
        }
        var pattern = SUITES.get(args[0]);
        if (pattern == null) {
            return usageError(args[0].startsWith("-") ? "Unknown option" : "Unknown suite", args[0], err);
        }
        var jmhArgs = new String[rest.length + 1];
        jmhArgs[0] = pattern;
        System.arraycopy(rest, 0, jmhArgs, 1, rest.length);
        org.openjdk.jmh.Main.main(jmhArgs);
        return -1;
    }

    private static int usageError(String what, String argument, PrintStream err) {
        err.println("rankql bench: " + what + ": '" + argument + "'");
        err.println("Try 'rankql bench --help' for more information.");
        err.flush();
        return 2;
    }
}
