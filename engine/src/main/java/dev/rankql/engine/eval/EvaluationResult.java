package dev.rankql.engine.eval;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Per-query values and means of some metrics over the evaluated queries.
 *
 * @param metrics the metrics, in the order asked for
 * @param queryIds the evaluated queries: every judged query with a relevant document, in the qrels' order
 * @param values {@code values[m][q]} is metric {@code m} on query {@code q}
 * @param missing evaluated queries for which the run had no ranking; they score 0 on every metric
 * @param ignored queries of the run that were not evaluated (no judgments, or no relevant document)
 */
public record EvaluationResult(
        List<Metric> metrics, List<String> queryIds, double[][] values, List<String> missing, List<String> ignored) {

    public EvaluationResult {
        metrics = List.copyOf(metrics);
        queryIds = List.copyOf(queryIds);
        missing = List.copyOf(missing);
        ignored = List.copyOf(ignored);
        requireNonNull(values, "values");
        if (values.length != metrics.size()) {
            throw new IllegalArgumentException(
                    "expected values for " + metrics.size() + " metrics, found " + values.length);
        }
        double[][] copy = new double[values.length][];
        for (int m = 0; m < values.length; m++) {
            if (values[m].length != queryIds.size()) {
                throw new IllegalArgumentException("expected " + queryIds.size() + " values of "
                        + metrics.get(m).name() + ", found " + values[m].length);
            }
            copy[m] = values[m].clone();
        }
        values = copy;
    }

    /** The per-query values of a metric, in the order of {@link #queryIds()}. */
    public double[] perQuery(Metric metric) {
        return values[index(metric)].clone();
    }

    /** A metric's value on one evaluated query. */
    public double value(Metric metric, String queryId) {
        int q = queryIds.indexOf(queryId);
        if (q < 0) {
            throw new IllegalArgumentException("query [" + queryId + "] was not evaluated");
        }
        return values[index(metric)][q];
    }

    /**
     * The mean of a metric over all evaluated queries (0 when none was evaluated, which only happens when the qrels
     * have no relevant document at all).
     */
    public double mean(Metric metric) {
        double[] row = values[index(metric)];
        if (row.length == 0) {
            return 0;
        }
        double sum = 0;
        for (double v : row) {
            sum += v;
        }
        return sum / row.length;
    }

    @Override
    public double[][] values() {
        double[][] copy = new double[values.length][];
        for (int m = 0; m < values.length; m++) {
            copy[m] = values[m].clone();
        }
        return copy;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EvaluationResult r && metrics.equals(r.metrics) && queryIds.equals(r.queryIds)
                && Arrays.deepEquals(values, r.values) && missing.equals(r.missing)
                && ignored.equals(r.ignored);
    }

    @Override
    public int hashCode() {
        return Objects.hash(metrics, queryIds, Arrays.deepHashCode(values), missing, ignored);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("EvaluationResult[").append(queryIds.size()).append(" queries");
        for (Metric metric : metrics) {
            text.append(", ").append(metric.name()).append('=').append(mean(metric));
        }
        return text.append(']').toString();
    }

    private int index(Metric metric) {
        int m = metrics.indexOf(requireNonNull(metric, "metric"));
        if (m < 0) {
            throw new IllegalArgumentException("metric " + metric.name() + " was not evaluated; evaluated: "
                    + metrics.stream().map(Metric::name).toList());
        }
        return m;
    }
}
