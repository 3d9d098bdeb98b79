package dev.rankql.engine.eval;

import static java.util.Objects.requireNonNull;

import java.util.SplittableRandom;

/**
 * The paired randomization (permutation) test of two systems' per-query scores: how often does flipping which system
 * produced each query's score give a mean difference at least as large as the observed one?
 *
 * <p>Under the null hypothesis the two systems are interchangeable on every query, so each per-query difference
 * {@code d_i = a_i - b_i} is as likely to have the opposite sign. The statistic is {@code |sum_i d_i|} (the absolute
 * difference of the means times n); the two-sided p-value is the share of sign assignments whose statistic reaches
 * the observed one. With at most {@code permutations} assignments in all ({@code 2^n <= permutations}) every one is
 * enumerated and {@code p = count / 2^n} is exact; otherwise {@code permutations} random assignments are drawn from a
 * {@link SplittableRandom} with a fixed seed and {@code p = (count + 1) / (permutations + 1)}, which never reports
 * 0. Statistics within {@code 1e-10 * sum_i |d_i|} of the observed one count as reaching it, so that sums which are
 * equal in exact arithmetic are not split by rounding.
 */
public final class RandomizationTest {

    /** The number of random sign assignments unless told otherwise. */
    public static final int DEFAULT_PERMUTATIONS = 10_000;

    /** The seed unless told otherwise, so that a report's p-values can be reproduced. */
    public static final long DEFAULT_SEED = 42L;

    private static final double RELATIVE_TOLERANCE = 1e-10;

    private RandomizationTest() {}

    /**
     * The outcome of one test.
     *
     * @param queries the number of paired values
     * @param meanA the mean of the first system's values
     * @param meanB the mean of the second system's values
     * @param meanDifference {@code meanA - meanB}
     * @param pValue the two-sided p-value
     * @param permutations the number of sign assignments counted ({@code 2^n} when exact)
     * @param exact whether every sign assignment was enumerated
     */
    public record Result(
            int queries, double meanA, double meanB, double meanDifference, double pValue, long permutations,
            boolean exact) {}

    /** Tests with {@link #DEFAULT_PERMUTATIONS} and {@link #DEFAULT_SEED}. */
    public static Result test(double[] a, double[] b) {
        return test(a, b, DEFAULT_PERMUTATIONS, DEFAULT_SEED);
    }

    /**
     * Tests two systems' values on the same queries, paired by position.
     *
     * @throws IllegalArgumentException when the arrays differ in length, are empty, or hold a non-finite value, or
     *     when {@code permutations} is below 1
     */
    public static Result test(double[] a, double[] b, int permutations, long seed) {
        requireNonNull(a, "a");
        requireNonNull(b, "b");
        if (a.length != b.length) {
            throw new IllegalArgumentException(
                    "the systems must be scored on the same queries: " + a.length + " values against " + b.length);
        }
        if (a.length == 0) {
            throw new IllegalArgumentException("no queries to compare");
        }
        if (permutations < 1) {
            throw new IllegalArgumentException("permutations must be at least 1, found " + permutations);
        }
        int n = a.length;
        double[] d = new double[n];
        double sumA = 0;
        double sumB = 0;
        double observed = 0;
        double scale = 0;
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(a[i]) || !Double.isFinite(b[i])) {
                throw new IllegalArgumentException("query " + i + " has a non-finite value: " + a[i] + ", " + b[i]);
            }
            sumA += a[i];
            sumB += b[i];
            d[i] = a[i] - b[i];
            observed += d[i];
            scale += Math.abs(d[i]);
        }
        double threshold = Math.abs(observed) - RELATIVE_TOLERANCE * scale;
        double meanA = sumA / n;
        double meanB = sumB / n;
        if (n < Long.SIZE - 1 && (1L << n) <= permutations) {
            long all = 1L << n;
            long count = 0;
            for (long signs = 0; signs < all; signs++) {
                if (Math.abs(flipped(d, signs)) >= threshold) {
                    count++;
                }
            }
            return new Result(n, meanA, meanB, meanA - meanB, (double) count / all, all, true);
        }
        SplittableRandom random = new SplittableRandom(seed);
        long count = 0;
        for (int t = 0; t < permutations; t++) {
            double sum = 0;
            long bits = 0;
            for (int i = 0; i < n; i++) {
                if ((i & 63) == 0) {
                    bits = random.nextLong();
                }
                sum += (bits & 1) == 0 ? d[i] : -d[i];
                bits >>>= 1;
            }
            if (Math.abs(sum) >= threshold) {
                count++;
            }
        }
        return new Result(n, meanA, meanB, meanA - meanB, (count + 1.0) / (permutations + 1.0), permutations, false);
    }

    /**
     * Tests one metric of two evaluations of the same queries (for example BM25 against LTR on one qrels file).
     *
     * @throws IllegalArgumentException when the evaluations cover different queries or lack the metric
     */
    public static Result compare(EvaluationResult a, EvaluationResult b, Metric metric) {
        return compare(a, b, metric, DEFAULT_PERMUTATIONS, DEFAULT_SEED);
    }

    /** {@link #compare(EvaluationResult, EvaluationResult, Metric)} with a chosen number of permutations and seed. */
    public static Result compare(EvaluationResult a, EvaluationResult b, Metric metric, int permutations, long seed) {
        if (!a.queryIds().equals(b.queryIds())) {
            throw new IllegalArgumentException("the evaluations cover different queries (" + a.queryIds().size()
                    + " and " + b.queryIds().size() + "); evaluate both runs against the same qrels");
        }
        return test(a.perQuery(metric), b.perQuery(metric), permutations, seed);
    }

    private static double flipped(double[] d, long signs) {
        double sum = 0;
        for (int i = 0; i < d.length; i++) {
            sum += ((signs >>> i) & 1) == 0 ? d[i] : -d[i];
        }
        return sum;
    }
}
