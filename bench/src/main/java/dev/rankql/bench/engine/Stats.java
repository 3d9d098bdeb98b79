package dev.rankql.bench.engine;

import java.util.Arrays;

/** Order statistics of measurements: nearest-rank percentiles and medians. */
public final class Stats {

    private Stats() {}

    /** The nearest-rank {@code p}-th percentile (0 < p ≤ 100) of {@code values}, which must not be empty. */
    public static double percentile(double[] values, double p) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], got " + p);
        }
        var sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    /** The median of {@code values} (the mean of the middle two for an even count), which must not be empty. */
    public static double median(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        var sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
