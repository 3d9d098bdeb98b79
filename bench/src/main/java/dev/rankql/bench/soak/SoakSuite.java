package dev.rankql.bench.soak;

import dev.rankql.bench.Options;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;

/** {@code rankql bench soak}: the concurrency soak of {@link Soak} from the command line. */
public final class SoakSuite {

    static final String USAGE = """
            Usage: rankql bench soak [-h] [--seconds N] [--searchers N] [--out FILE]
            Concurrent searches (half of them LTR-rescored), ingest, refreshes every 10-160 ms and a model
            replaced every 200 ms, on one in-process engine, with every answer checked against the writes so far;
            the used heap after a full GC is sampled and its slope after warm-up reported.
              --seconds N     how long to run (default 600)
              --searchers N   concurrent search threads (default 4)
              --out FILE      also write the result JSON to FILE
              -h, --help      Show this help message and exit.
            Exit 0 when no check failed, 1 otherwise. The last stdout line is the result as one JSON object.
            """;

    private SoakSuite() {}

    /** Runs with {@code args} (after the suite name); returns the exit code: 0, 1 for a failed check, 2 for bad usage. */
    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        int seconds;
        int searchers;
        Path target;
        try {
            var options = Options.parse(args, Set.of(), Set.of("--seconds", "--searchers", "--out"));
            if (options.help()) {
                out.print(USAGE);
                out.flush();
                return 0;
            }
            seconds = options.positive("--seconds").orElse(600);
            searchers = options.positive("--searchers").orElse(4);
            target = options.path("--out").orElse(null);
        } catch (Options.UsageException e) {
            return Options.usageError("rankql bench soak", e, err);
        }
        var started = Instant.now();
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        var work = Files.createTempDirectory("rankql-soak");
        Soak.Result result;
        try {
            int sampleEvery = Math.max(1, Math.min(15, seconds / 20));
            result = Soak.run(work.resolve("data"), new Soak.Config(seconds, searchers, 100, 5_000, sampleEvery),
                    line -> {
                        err.println(line);
                        err.flush();
                    });
        } finally {
            dev.rankql.bench.engine.EngineBench.deleteRecursively(work);
        }
        var json = result.toJson().replaceFirst("\\}$", String.format(java.util.Locale.ROOT,
                ", \"started\": \"%s\", \"load_average_at_start\": %.2f, \"max_heap_mb\": %d}", started, load,
                Runtime.getRuntime().maxMemory() >> 20));
        if (target != null) {
            if (target.getParent() != null) {
                Files.createDirectories(target.getParent());
            }
            Files.writeString(target, json + "\n");
        }
        result.errors().forEach(e -> err.println("rankql bench soak: check failed: " + e));
        out.println(json);
        out.flush();
        return result.errorCount() == 0 ? 0 : 1;
    }
}
