package dev.rankql.bench;

import java.nio.file.Path;

/**
 * Where the suites write: {@code bench/results/} and {@code bench/target/bench-cache/} of the source tree the jar was
 * built in ({@code bench/target/*.jar}), else the same paths under the working directory.
 */
public final class BenchPaths {

    private BenchPaths() {}

    /** {@code bench/} of the source tree, or the relative path {@code bench}. */
    static Path benchDir() {
        try {
            var jar = Path.of(BenchPaths.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            var target = jar.getParent();
            if (target != null && target.getFileName().toString().equals("target") && target.getParent() != null
                    && target.getParent().getFileName().toString().equals("bench")) {
                return target.getParent();
            }
        } catch (java.net.URISyntaxException | RuntimeException e) {
            // Fall back to the working directory.
        }
        return Path.of("bench");
    }

    /** The result file {@code name} in {@code bench/results/}. */
    public static Path result(String name) {
        return benchDir().resolve("results").resolve(name);
    }

    /**
     * The cache of trained models, {@code bench/target/bench-cache/}: deleted by {@code mvn clean}, never committed,
     * and absent on a clean clone, so a first run trains everything.
     */
    public static Path cache() {
        return benchDir().resolve("target").resolve("bench-cache");
    }
}
