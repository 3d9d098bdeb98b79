package dev.rankql.models;

import java.util.List;

/**
 * A loaded learning-to-rank model that maps rows of feature values to scores.
 *
 * <p>Rows are dense and row-major: row {@code r} occupies {@code rows[r * featureCount() .. (r + 1) * featureCount())}
 * in the order of {@link #featureNames()}, and {@code NaN} marks a missing value. Scoring writes one score per row
 * into the caller's array and allocates nothing per row. A model is immutable and safe to share between threads;
 * the score of a row never depends on the other rows of the block or on the block size.
 */
public sealed interface Model permits TreeEnsemble, LinearModel, NeuralNetworkModel {

    /** The name of the format the model was read from, as listed by the format registry. */
    String format();

    /** The model's inputs, in the column order that {@code score} expects. */
    List<String> featureNames();

    /**
     * The arithmetic of the score: a {@link Precision#FLOAT32} model's scores are floats (widened to double), so they
     * are printed and compared as floats.
     */
    Precision precision();

    /** The number of columns of a row. */
    default int featureCount() {
        return featureNames().size();
    }

    /** Scores {@code rowCount} rows of {@code rows} into {@code out[0 .. rowCount)}. */
    default void score(double[] rows, int rowCount, double[] out) {
        score(rows, 0, rowCount, out, 0);
    }

    /** Scores {@code rowCount} rows of {@code rows} into {@code out[0 .. rowCount)}. */
    default void score(float[] rows, int rowCount, double[] out) {
        score(rows, 0, rowCount, out, 0);
    }

    /**
     * Scores the rows {@code firstRow .. firstRow + rowCount} of {@code rows} into {@code out[outOffset ..
     * outOffset + rowCount)}.
     */
    void score(double[] rows, int firstRow, int rowCount, double[] out, int outOffset);

    /** The same as {@link #score(double[], int, int, double[], int)} for single-precision feature rows. */
    void score(float[] rows, int firstRow, int rowCount, double[] out, int outOffset);

    /** Scores one row of {@link #featureCount()} values. */
    double score(double[] row);

    /** Scores one row and tells how each part of the model contributed to the score. */
    Explanation explain(double[] row);

    /** Checks the shape of a block before scoring it, so that a bad call fails with a clear message. */
    static void checkBlock(int featureCount, int rowsLength, int firstRow, int rowCount, int outLength, int outOffset) {
        if (firstRow < 0 || rowCount < 0 || outOffset < 0) {
            throw new IllegalArgumentException("negative row range: firstRow=" + firstRow + ", rowCount=" + rowCount
                    + ", outOffset=" + outOffset);
        }
        long needed = ((long) firstRow + rowCount) * featureCount;
        if (needed > rowsLength) {
            throw new IllegalArgumentException("rows holds " + rowsLength + " values but rows " + firstRow + ".."
                    + (firstRow + rowCount) + " of " + featureCount + " features need " + needed);
        }
        if ((long) outOffset + rowCount > outLength) {
            throw new IllegalArgumentException(
                    "out holds " + outLength + " scores but " + (outOffset + rowCount) + " are needed");
        }
    }
}
