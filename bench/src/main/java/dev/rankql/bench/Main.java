package dev.rankql.bench;

import java.io.PrintStream;

/** The entry point of {@code rankql bench}, which will run the benchmark suites; today it only explains itself. */
public final class Main {

    static final String USAGE = """
            Usage: rankql bench [-h]
            Benchmarks for rankql: JMH micro-benchmarks and end-to-end runs measured against peers.
            No benchmark suite is part of this build yet, so there is nothing to run.
              -h, --help   Show this help message and exit.

            Examples:
              rankql bench --help
            """;

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs with {@code args}, writing to the given streams, and returns the exit code: 0, or 2 for bad usage. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        String unknown = null;
        for (var arg : args) {
            if (!arg.equals("-h") && !arg.equals("--help")) {
                unknown = arg;
                break;
            }
        }
        if (unknown == null) {
            out.print(USAGE);
            out.flush();
            return 0;
        }
        var what = unknown.startsWith("-") ? "Unknown option" : "Unmatched argument";
        err.println("rankql bench: " + what + ": '" + unknown + "'");
        err.println("Try 'rankql bench --help' for more information.");
        err.flush();
        return 2;
    }
}
