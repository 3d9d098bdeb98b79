package dev.rankql.models;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * A weighted sum of features plus a bias; a missing (NaN) feature contributes nothing, as if it were zero.
 *
 * <p>With {@link Precision#FLOAT32} the products and the sum are computed in {@code float}, feature by feature in
 * column order, as the o19s/OpenSearch and Solr linear rankers do; with {@link Precision#FLOAT64} in {@code double}.
 */
public final class LinearModel implements Model {

    private final String format;
    private final List<String> featureNames;
    private final double[] weights;
    private final double bias;
    private final Precision precision;

    /** Creates a model with one weight per feature. */
    public LinearModel(String format, List<String> featureNames, double[] weights, double bias, Precision precision) {
        this.format = requireNonNull(format, "format");
        this.featureNames = List.copyOf(featureNames);
        if (weights.length != this.featureNames.size()) {
            throw new IllegalArgumentException(
                    weights.length + " weights for " + this.featureNames.size() + " features");
        }
        for (int i = 0; i < weights.length; i++) {
            if (!Double.isFinite(weights[i])) {
                throw new ModelException("feature [" + this.featureNames.get(i) + "]",
                        "weight must be a finite number, got " + weights[i]);
            }
        }
        if (!Double.isFinite(bias)) {
            throw new ModelException("", "bias must be a finite number, got " + bias);
        }
        this.weights = weights.clone();
        this.bias = bias;
        this.precision = requireNonNull(precision, "precision");
    }

    @Override
    public String format() {
        return format;
    }

    @Override
    public List<String> featureNames() {
        return featureNames;
    }

    /** The weight of a feature column. */
    public double weight(int feature) {
        return weights[feature];
    }

    /** The constant term. */
    public double bias() {
        return bias;
    }

    @Override
    public void score(double[] rows, int firstRow, int rowCount, double[] out, int outOffset) {
        int n = weights.length;
        Model.checkBlock(n, rows.length, firstRow, rowCount, out.length, outOffset);
        for (int r = 0; r < rowCount; r++) {
            int base = (firstRow + r) * n;
            double sum = precision == Precision.FLOAT32 ? (float) bias : bias;
            for (int f = 0; f < n; f++) {
                sum = add(sum, rows[base + f], f);
            }
            out[outOffset + r] = sum;
        }
    }

    @Override
    public void score(float[] rows, int firstRow, int rowCount, double[] out, int outOffset) {
        int n = weights.length;
        Model.checkBlock(n, rows.length, firstRow, rowCount, out.length, outOffset);
        for (int r = 0; r < rowCount; r++) {
            int base = (firstRow + r) * n;
            double sum = precision == Precision.FLOAT32 ? (float) bias : bias;
            for (int f = 0; f < n; f++) {
                sum = add(sum, rows[base + f], f);
            }
            out[outOffset + r] = sum;
        }
    }

    private double add(double sum, double x, int f) {
        if (x != x) {
            return sum;
        }
        return precision == Precision.FLOAT32
                ? (double) ((float) sum + (float) weights[f] * (float) x)
                : sum + weights[f] * x;
    }

    @Override
    public double score(double[] row) {
        double[] out = new double[1];
        score(row, 0, 1, out, 0);
        return out[0];
    }

    @Override
    public Explanation.Linear explain(double[] row) {
        if (row.length != weights.length) {
            throw new IllegalArgumentException("a row of this model has " + weights.length + " values, got "
                    + row.length);
        }
        var terms = new ArrayList<Explanation.Term>();
        double sum = precision == Precision.FLOAT32 ? (float) bias : bias;
        for (int f = 0; f < weights.length; f++) {
            if (weights[f] == 0) {
                continue;
            }
            double x = row[f];
            double normalized = x != x ? 0.0 : x;
            double contribution = precision == Precision.FLOAT32
                    ? (double) ((float) weights[f] * (float) normalized)
                    : weights[f] * normalized;
            terms.add(new Explanation.Term(f, featureNames.get(f), x, normalized, weights[f], contribution));
            sum = add(sum, x, f);
        }
        return new Explanation.Linear(sum, bias, terms);
    }
}
