package dev.rankql.models;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * A feed-forward network of dense layers with one output, computed in float as Solr's {@code NeuralNetworkModel}.
 *
 * <p>Each layer computes {@code activation(bias[i] + Σ matrix[i][j] * input[j])} for every row {@code i} of its matrix,
 * summing in column order. Inputs are read as float, a missing (NaN) value as 0, then normalized as
 * {@code (value - shift) / scale} when normalizers are given.
 */
public final class NeuralNetworkModel implements Model {

    /** A layer's activation function, applied in float. */
    public enum Activation {
        RELU,
        LEAKY_RELU,
        TANH,
        SIGMOID,
        IDENTITY;

        float apply(float in) {
            return switch (this) {
                case RELU -> in < 0 ? 0 : in;
                case LEAKY_RELU -> in < 0 ? 0.01f * in : in;
                case TANH -> (float) Math.tanh(in);
                case SIGMOID -> (float) (1 / (1 + Math.exp(-in)));
                case IDENTITY -> in;
            };
        }
    }

    /**
     * One dense layer.
     *
     * @param rows the number of output units
     * @param columns the number of inputs
     * @param matrix the weights, row-major ({@code rows * columns})
     * @param bias one bias per output unit
     */
    public record Layer(int rows, int columns, float[] matrix, float[] bias, Activation activation) {
        public Layer {
            requireNonNull(activation, "activation");
            if (rows < 1 || columns < 1 || matrix.length != rows * columns || bias.length != rows) {
                throw new IllegalArgumentException("a " + rows + "x" + columns + " layer needs " + rows * columns
                        + " weights and " + rows + " biases, got " + matrix.length + " and " + bias.length);
            }
            matrix = matrix.clone();
            bias = bias.clone();
        }
    }

    private final String format;
    private final List<String> featureNames;
    private final List<Layer> layers;
    private final int[] inputColumns;
    private final float[] shift;
    private final float[] scale;
    private final int widest;
    /** Each thread's two layer buffers, kept from call to call so that block scoring allocates nothing. */
    private final ThreadLocal<float[][]> layerBuffers;

    /**
     * Creates a network whose last layer has one unit.
     *
     * @param featureNames the columns of a row
     * @param inputColumns the column each input of the first layer reads
     * @param shift what each input's normalizer subtracts, or null for no normalizers
     * @param scale what each input's normalizer divides by, or null for no normalizers
     */
    public NeuralNetworkModel(
            String format,
            List<String> featureNames,
            int[] inputColumns,
            List<Layer> layers,
            float[] shift,
            float[] scale) {
        this.format = requireNonNull(format, "format");
        this.featureNames = List.copyOf(featureNames);
        this.layers = List.copyOf(layers);
        this.inputColumns = inputColumns.clone();
        for (int column : this.inputColumns) {
            if (column < 0 || column >= this.featureNames.size()) {
                throw new IllegalArgumentException("input column " + column + " is outside the row");
            }
        }
        int inputs = this.inputColumns.length;
        int widest = Math.max(1, inputs);
        for (int i = 0; i < this.layers.size(); i++) {
            Layer layer = this.layers.get(i);
            if (layer.columns() != inputs) {
                throw new IllegalArgumentException("layer " + i + " has " + layer.columns() + " columns for " + inputs
                        + " inputs");
            }
            inputs = layer.rows();
            widest = Math.max(widest, inputs);
        }
        if (this.layers.isEmpty() || inputs != 1) {
            throw new IllegalArgumentException("the last layer must have exactly one unit");
        }
        if ((shift == null) != (scale == null)
                || shift != null && (shift.length != this.inputColumns.length || scale.length != shift.length)) {
            throw new IllegalArgumentException("one shift and one scale per feature, or neither");
        }
        this.shift = shift == null ? null : shift.clone();
        this.scale = scale == null ? null : scale.clone();
        this.widest = widest;
        int width = widest;
        this.layerBuffers = ThreadLocal.withInitial(() -> new float[][] {new float[width], new float[width]});
    }

    @Override
    public String format() {
        return format;
    }

    /** Solr networks compute in float throughout. */
    @Override
    public Precision precision() {
        return Precision.FLOAT32;
    }

    @Override
    public List<String> featureNames() {
        return featureNames;
    }

    /** The layers, from input to output. */
    public List<Layer> layers() {
        return layers;
    }

    @Override
    public void score(double[] rows, int firstRow, int rowCount, double[] out, int outOffset) {
        int n = featureNames.size();
        Model.checkBlock(n, rows.length, firstRow, rowCount, out.length, outOffset);
        float[][] buffers = layerBuffers.get();
        float[] a = buffers[0];
        float[] b = buffers[1];
        for (int r = 0; r < rowCount; r++) {
            int base = (firstRow + r) * n;
            for (int f = 0; f < inputColumns.length; f++) {
                a[f] = input(rows[base + inputColumns[f]], f);
            }
            out[outOffset + r] = forward(a, b, null);
        }
    }

    @Override
    public void score(float[] rows, int firstRow, int rowCount, double[] out, int outOffset) {
        int n = featureNames.size();
        Model.checkBlock(n, rows.length, firstRow, rowCount, out.length, outOffset);
        float[][] buffers = layerBuffers.get();
        float[] a = buffers[0];
        float[] b = buffers[1];
        for (int r = 0; r < rowCount; r++) {
            int base = (firstRow + r) * n;
            for (int f = 0; f < inputColumns.length; f++) {
                a[f] = input(rows[base + inputColumns[f]], f);
            }
            out[outOffset + r] = forward(a, b, null);
        }
    }

    private float input(double x, int f) {
        float v = x != x ? 0f : (float) x;
        return shift == null ? v : (v - shift[f]) / scale[f];
    }

    /** Runs the layers on {@code a}, using {@code b} as the other buffer; records each layer's output if asked. */
    private double forward(float[] a, float[] b, List<List<Double>> trace) {
        float[] in = a;
        float[] out = b;
        // Indexed, not a for-each: an iterator would be an allocation per row until the JIT removes it.
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            float[] m = layer.matrix();
            int columns = layer.columns();
            for (int i = 0; i < layer.rows(); i++) {
                float sum = layer.bias()[i];
                for (int j = 0; j < columns; j++) {
                    sum += m[i * columns + j] * in[j];
                }
                out[i] = layer.activation().apply(sum);
            }
            if (trace != null) {
                var values = new ArrayList<Double>(layer.rows());
                for (int i = 0; i < layer.rows(); i++) {
                    values.add((double) out[i]);
                }
                trace.add(values);
            }
            float[] swap = in;
            in = out;
            out = swap;
        }
        return in[0];
    }

    @Override
    public double score(double[] row) {
        double[] out = new double[1];
        score(row, 0, 1, out, 0);
        return out[0];
    }

    @Override
    public Explanation.Network explain(double[] row) {
        if (row.length != featureNames.size()) {
            throw new IllegalArgumentException("a row of this model has " + featureNames.size() + " values, got "
                    + row.length);
        }
        float[] a = new float[widest];
        float[] b = new float[widest];
        var inputs = new ArrayList<Double>(inputColumns.length);
        for (int f = 0; f < inputColumns.length; f++) {
            a[f] = input(row[inputColumns[f]], f);
            inputs.add((double) a[f]);
        }
        var trace = new ArrayList<List<Double>>();
        double score = forward(a, b, trace);
        return new Explanation.Network(score, inputs, trace);
    }
}
