package dev.rankql.models;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * A weighted sum of (optionally normalized) features plus a bias.
 *
 * <p>A missing (NaN) value is read as {@code 0.0} and then normalized, as Solr does with a feature's default value
 * and as the o19s/OpenSearch linear ranker does with an absent feature. A normalizer computes
 * {@code (value - shift) / scale}. With {@link Precision#FLOAT32} values are rounded to float and the normalizing,
 * the products and the sum are all float arithmetic, feature by feature in column order, as in Solr and o19s; with
 * {@link Precision#FLOAT64} they are double.
 */
public final class LinearModel implements Model {

    private final String format;
    private final List<String> featureNames;
    private final double[] weights;
    private final double bias;
    private final Precision precision;
    private final boolean floatInputs;
    private final float[] shift;
    private final float[] scale;

    /** Creates a model with one weight per feature and no normalizers. */
    public LinearModel(String format, List<String> featureNames, double[] weights, double bias, Precision precision) {
        this(format, featureNames, weights, bias, precision, precision == Precision.FLOAT32, null, null);
    }

    /**
     * Creates a model with one weight and one normalizer per feature.
     *
     * @param floatInputs whether values are rounded to float first (always so with {@link Precision#FLOAT32}; RankLib
     *     reads float features into double arithmetic)
     * @param shift what each feature's normalizer subtracts, or null for no normalizers
     * @param scale what each feature's normalizer divides by, or null for no normalizers
     */
    public LinearModel(
            String format,
            List<String> featureNames,
            double[] weights,
            double bias,
            Precision precision,
            boolean floatInputs,
            float[] shift,
            float[] scale) {
        this.format = requireNonNull(format, "format");
        this.featureNames = List.copyOf(featureNames);
        if (weights.length != this.featureNames.size()) {
            throw new IllegalArgumentException(
                    weights.length + " weights for " + this.featureNames.size() + " features");
        }
        if ((shift == null) != (scale == null)
                || shift != null && (shift.length != weights.length || scale.length != weights.length)) {
            throw new IllegalArgumentException("one shift and one scale per feature, or neither");
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
        this.floatInputs = floatInputs || precision == Precision.FLOAT32;
        this.shift = shift == null ? null : shift.clone();
        this.scale = scale == null ? null : scale.clone();
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

    @Override
    public Precision precision() {
        return precision;
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
            double sum = start();
            for (int f = 0; f < n; f++) {
                sum = add(sum, f, normalized(rows[base + f], f));
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
            double sum = start();
            for (int f = 0; f < n; f++) {
                sum = add(sum, f, normalized(rows[base + f], f));
            }
            out[outOffset + r] = sum;
        }
    }

    private double start() {
        return precision == Precision.FLOAT32 ? (float) bias : bias;
    }

    private double normalized(double x, int f) {
        double v = x != x ? 0.0 : floatInputs ? (float) x : x;
        if (precision == Precision.FLOAT32) {
            float value = (float) v;
            return shift == null ? value : (value - shift[f]) / scale[f];
        }
        return shift == null ? v : (v - shift[f]) / scale[f];
    }

    private double product(int f, double normalized) {
        // Solr and o19s multiply two floats; RankLib multiplies a double weight by a float value in double.
        return precision == Precision.FLOAT32
                ? (double) ((float) normalized * (float) weights[f])
                : normalized * weights[f];
    }

    private double add(double sum, int f, double normalized) {
        double term = product(f, normalized);
        return precision == Precision.FLOAT32 ? (double) ((float) sum + (float) term) : sum + term;
    }

    @Override
    public double score(double[] row) {
        if (row.length != weights.length) {
            throw new IllegalArgumentException("a row of this model has " + weights.length + " values, got "
                    + row.length);
        }
        double sum = start();
        for (int f = 0; f < weights.length; f++) {
            sum = add(sum, f, normalized(row[f], f));
        }
        return sum;
    }

    @Override
    public Explanation.Linear explain(double[] row) {
        if (row.length != weights.length) {
            throw new IllegalArgumentException("a row of this model has " + weights.length + " values, got "
                    + row.length);
        }
        var terms = new ArrayList<Explanation.Term>();
        double sum = start();
        for (int f = 0; f < weights.length; f++) {
            double normalized = normalized(row[f], f);
            sum = add(sum, f, normalized);
            if (weights[f] != 0) {
                terms.add(new Explanation.Term(f, featureNames.get(f), row[f], normalized, weights[f],
                        product(f, normalized)));
            }
        }
        return new Explanation.Linear(sum, bias, terms);
    }
}
