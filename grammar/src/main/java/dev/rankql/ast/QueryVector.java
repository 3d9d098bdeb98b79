package dev.rankql.ast;

import java.util.Arrays;

/**
 * The components of a query vector, held as a private {@code float[]} and compared by value.
 *
 * <p>A record over an array would compare arrays by identity; this one overrides equality so that trees holding
 * vectors compare by content, and copies the array on the way in and out so that the tree stays immutable.
 */
public record QueryVector(float[] values) {

    public QueryVector {
        if (values == null || values.length == 0) {
            throw new IllegalArgumentException(emptyMessage());
        }
        values = values.clone();
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException(
                        "[query_vector] must contain finite numbers, found [" + values[i] + "] at [" + i + "]");
            }
            // The sign of a zero changes no similarity, and both printers write it as 0.
            if (values[i] == 0f) {
                values[i] = 0f;
            }
        }
    }

    /** A vector of the given components. */
    public static QueryVector of(float... values) {
        return new QueryVector(values);
    }

    /** A copy of the components. */
    @Override
    public float[] values() {
        return values.clone();
    }

    /** The number of components. */
    public int dims() {
        return values.length;
    }

    /** Component {@code i}, read without copying the array. */
    public float get(int i) {
        return values[i];
    }

    /** The message for a vector without components. */
    public static String emptyMessage() {
        return "[query_vector] must not be empty";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof QueryVector v && Arrays.equals(values, v.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    /** The components as the DSL and JSON both write them: {@code [0.5, -1, 2]}. */
    @Override
    public String toString() {
        var out = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            out.append(i == 0 ? "" : ", ").append(Numbers.format(values[i]));
        }
        return out.append(']').toString();
    }
}
