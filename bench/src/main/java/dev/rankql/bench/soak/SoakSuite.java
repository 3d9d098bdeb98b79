package dev.rankql.bench.soak;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;

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
        int seconds = 600;
        int searchers = 4;
        Path target = null;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "-h", "--help" -> {
                        out.print(USAGE);
                        out.flush();
                        return 0;
                    }
                    case "--seconds" -> seconds = positive(args[i], value(args, ++i, "--seconds"));
                    case "--searchers" -> searchers = positive(args[i], value(args, ++i, "--searchers"));
                    case "--out" -> target = Path.of(value(args, ++i, "--out"));
                    default -> throw new IllegalArgumentException(
                            (args[i].startsWith("-") ? "Unknown option: '" : "Unmatched argument: '") + args[i] + "'");
                }
            }
        } catch (IllegalArgumentException e) {
            err.println("rankql bench soak: " + e.getMessage());
            err.println("Try 'rankql bench soak --help' for more information.");
            return 2;
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
            try (var walk = Files.walk(work)) {
                for (var path : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
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
            // Reported below with the option's name.
        }
        throw new IllegalArgumentException("Invalid value for option '" + option + "': '" + text + "' is not a positive integer");
    }
}
